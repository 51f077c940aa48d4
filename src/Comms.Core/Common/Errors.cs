namespace Comms.Common;

/// <summary>Bad input: mapped to 400 problem+json with one message list per field.</summary>
public sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors, string? title = null)
    : Exception(title ?? "One or more fields are invalid.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static RequestValidationException For(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>The resource does not exist (only raised after the caller proved access to its library).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The request conflicts with the resource's state, e.g. an event after a loan was returned.</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>No credentials at all: 401.</summary>
public sealed class UnauthorizedException(string message) : Exception(message);

/// <summary>
/// Credentials that do not grant this library: 403. The message never says whether the resource exists.
/// Other refusals (an SNS message whose signature does not verify) say what was refused instead.
/// </summary>
public sealed class ForbiddenException(string message) : Exception(message)
{
    public ForbiddenException()
        : this("This key does not grant access to this resource.")
    {
    }
}

/// <summary>Too many requests for a rate-limited operation: 429 with Retry-After.</summary>
public sealed class TooManyRequestsException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// A send someone waits on (a template test send) was not taken by the email provider: 503 with Retry-After when the
/// provider is down, throttling or too slow (the same request later may go), 502 when it refused the message.
/// </summary>
public sealed class EmailProviderException(string message, TimeSpan? retryAfter) : Exception(message)
{
    /// <summary>Null: the provider refused the message for good (502); else a later try may succeed (503).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>The request cannot be handled safely yet (503 with Retry-After); the same request later will be.</summary>
public sealed class RetryLaterException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
