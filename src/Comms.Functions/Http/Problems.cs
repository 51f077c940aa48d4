using System.Globalization;
using System.Text.Json;
using Comms.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Comms.Functions.Http;

/// <summary>
/// The one place where failures become HTTP answers: RFC 9457 problem+json with field-level errors for bad
/// input. Used by the worker middleware in the Functions host and by the dev host, so both answer alike.
/// </summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    /// <summary>Maps an exception to a response, or returns null for unexpected ones (those stay 500s and are logged).</summary>
    public static IActionResult? FromException(Exception exception) => exception switch
    {
        RequestValidationException e => Validation(e.Message, e.Errors),
        JsonException e => Validation("The request body is not valid JSON for this endpoint.", new Dictionary<string, string[]>
        {
            [JsonField(e.Path)] = [JsonMessage(e)],
        }),
        NotFoundException e => Problem(StatusCodes.Status404NotFound, "Not found", e.Message),
        ConflictException e => Problem(StatusCodes.Status409Conflict, "Conflict", e.Message),
        UnauthorizedException e => Problem(StatusCodes.Status401Unauthorized, "Unauthorized", e.Message),
        ForbiddenException e => Problem(StatusCodes.Status403Forbidden, "Forbidden", e.Message),
        TooManyRequestsException e => new RetryAfterResult(Problem(StatusCodes.Status429TooManyRequests, "Too many requests", e.Message), e.RetryAfter),
        RetryLaterException e => new RetryAfterResult(Problem(StatusCodes.Status503ServiceUnavailable, "Retry later", e.Message), e.RetryAfter),
        Notices.DeliveryDeferredException e => new RetryAfterResult(Problem(StatusCodes.Status503ServiceUnavailable, "Delivery deferred", e.Message), e.RetryAfter),
        EmailProviderException { RetryAfter: { } wait } e => new RetryAfterResult(Problem(StatusCodes.Status503ServiceUnavailable, "Email provider unavailable", e.Message), wait),
        EmailProviderException e => Problem(StatusCodes.Status502BadGateway, "Email provider refused the message", e.Message),
        BadHttpRequestException e => Problem(e.StatusCode, "Bad request", e.Message),
        Comms.Suppression.SuppressionProviderException e => Problem(StatusCodes.Status502BadGateway, "Provider error", e.Message),
        _ => null,
    };

    public static ObjectResult Problem(int status, string title, string detail) =>
        Result(new ProblemDetails { Status = status, Title = title, Detail = detail, Type = TypeFor(status) });

    public static ObjectResult Validation(string title, IReadOnlyDictionary<string, string[]> errors) =>
        Result(new ValidationProblemDetails(errors.ToDictionary(kv => kv.Key, kv => kv.Value))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = title,
            Type = TypeFor(StatusCodes.Status400BadRequest),
        });

    private static ObjectResult Result(ProblemDetails details) => new(details)
    {
        StatusCode = details.Status,
        ContentTypes = { ContentType },
    };

    private static string TypeFor(int status) =>
        "https://www.rfc-editor.org/rfc/rfc9110#status." + status.ToString(CultureInfo.InvariantCulture);

    private static string JsonField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string JsonMessage(JsonException e)
    {
        // System.Text.Json messages name .NET types; keep the useful part and drop the internals.
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        message = cut > 0 ? message[..cut] : message;
        return message.Replace("System.", string.Empty, StringComparison.Ordinal).Replace("Comms.", string.Empty, StringComparison.Ordinal);
    }

    private sealed class RetryAfterResult(ObjectResult inner, TimeSpan retryAfter) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return inner.ExecuteResultAsync(context);
        }
    }
}
