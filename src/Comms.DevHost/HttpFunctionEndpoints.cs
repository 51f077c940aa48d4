using System.Globalization;
using System.Reflection;
using Comms.Functions.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Azure.Functions.Worker;

namespace Comms.DevHost;

/// <summary>
/// Serves the app's HTTP-triggered functions on Kestrel under /api, with their own routes and methods,
/// activating each function class from the app's service registration as the Functions worker does.
/// </summary>
public static class HttpFunctionEndpoints
{
    public const string RoutePrefix = "api";

    /// <summary>
    /// Answers that routing makes without a function (no such route: 404; a route without that method: 405)
    /// get a problem+json body like every other error, instead of none.
    /// </summary>
    public static void UseProblemStatusCodes(this WebApplication app) =>
        app.UseStatusCodePages(async pages =>
        {
            var http = pages.HttpContext;
            var (title, detail) = http.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => ("Not found", $"No endpoint answers {http.Request.Path}; docs/api.md lists the routes."),
                StatusCodes.Status405MethodNotAllowed => ("Method not allowed", $"{http.Request.Path} does not take {http.Request.Method}."),
                var other => (ReasonPhrases.GetReasonPhrase(other), ReasonPhrases.GetReasonPhrase(other) + "."),
            };
            await Problems.Problem(http.Response.StatusCode, title, detail)
                .ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
        });

    public static void MapHttpFunctions(this WebApplication app, IEnumerable<FunctionEntry> functions, ServedFunctions? served = null)
    {
        foreach (var function in functions.Where(f => f.Http is not null))
        {
            var http = function.Http!;
            var route = $"/{RoutePrefix}/{http.Route ?? function.Name}";
            var methods = (http.Methods is { Length: > 0 } ? http.Methods : ["get", "post", "put", "delete", "patch"])
                .Select(m => m.ToUpperInvariant()).ToArray();
            app.MapMethods(route, methods, context => InvokeAsync(context, function)).WithName(function.Name);
            served?.Add(new ServedFunction(function.Name, function.Trigger, http.Route ?? function.Name, [.. methods.Select(m => m.ToLowerInvariant())]));
        }
    }

    private static async Task InvokeAsync(HttpContext context, FunctionEntry function)
    {
        IActionResult result;
        try
        {
            RequireFunctionKey(context, function.Http!.AuthLevel);
            var target = function.Method.IsStatic ? null : ActivatorUtilities.GetServiceOrCreateInstance(context.RequestServices, function.Class);
            var arguments = function.Method.GetParameters().Select(p => Bind(p, context)).ToArray();
            var returned = function.Method.Invoke(target, arguments);
            result = await Unwrap(returned);
        }
        catch (Exception exception)
        {
            var inner = exception is TargetInvocationException { InnerException: { } e } ? e : exception;
            result = Problems.FromException(inner) ?? Unexpected(context, function, inner);
        }

        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    private static object? Bind(ParameterInfo parameter, HttpContext context)
    {
        if (parameter.ParameterType == typeof(HttpRequest))
        {
            return context.Request;
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return context.RequestAborted;
        }

        if (context.GetRouteValue(parameter.Name!) is { } value)
        {
            return Convert.ChangeType(value, parameter.ParameterType, CultureInfo.InvariantCulture);
        }

        return context.RequestServices.GetService(parameter.ParameterType)
            ?? (parameter.HasDefaultValue ? parameter.DefaultValue : throw new InvalidOperationException(
                $"The dev host cannot bind parameter '{parameter.Name}' of {parameter.Member.Name}."));
    }

    private static async Task<IActionResult> Unwrap(object? returned)
    {
        object? value = returned;
        if (returned is Task task)
        {
            await task;
            value = task.GetType().IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
        }

        return value switch
        {
            IActionResult actionResult => actionResult,
            null => new NoContentResult(),
            _ => new OkObjectResult(value),
        };
    }

    /// <summary>Function keys are enforced only when DevHost:FunctionKey is set; like `func start`, a local run needs none.</summary>
    private static void RequireFunctionKey(HttpContext context, AuthorizationLevel level)
    {
        var expected = context.RequestServices.GetRequiredService<IConfiguration>()["DevHost:FunctionKey"];
        if (level == AuthorizationLevel.Anonymous || string.IsNullOrEmpty(expected))
        {
            return;
        }

        var presented = context.Request.Headers["x-functions-key"].ToString();
        if (presented.Length == 0)
        {
            presented = context.Request.Query["code"].ToString();
        }

        if (!Security.ApiKeysCompare(presented, expected))
        {
            throw new Comms.Common.UnauthorizedException("A valid function key is required (x-functions-key header or code query parameter).");
        }
    }

    private static ObjectResult Unexpected(HttpContext context, FunctionEntry function, Exception exception)
    {
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Comms.DevHost")
            .LogError(exception, "Function {Function} failed", function.Name);
        return Problems.Problem(StatusCodes.Status500InternalServerError, "Internal error", "The function failed; see the host log.");
    }

    private static class Security
    {
        public static bool ApiKeysCompare(string presented, string expected) =>
            Comms.Security.ApiKeys.SecretEquals(presented, expected);
    }
}
