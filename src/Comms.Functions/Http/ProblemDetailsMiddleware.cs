using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Comms.Functions.Http;

/// <summary>Turns known failures of HTTP functions into problem+json answers (see <see cref="Problems"/>).</summary>
public sealed class ProblemDetailsMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (context.GetHttpContext() is not null && Problems.FromException(Unwrap(exception)) is not null)
        {
            var result = Problems.FromException(Unwrap(exception))!;
            var http = context.GetHttpContext()!;
            await result.ExecuteResultAsync(new ActionContext(http, http.GetRouteData() ?? new RouteData(), new ActionDescriptor()));
        }
    }

    // The worker wraps a function's exception in its own; the domain exception is the inner one.
    private static Exception Unwrap(Exception exception) =>
        exception is AggregateException or System.Reflection.TargetInvocationException || exception.GetType().Name == "FunctionInvocationException"
            ? exception.InnerException ?? exception
            : exception;
}
