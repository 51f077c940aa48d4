namespace Comms.Delivery;

public enum ProviderOutcome
{
    /// <summary>The provider accepted the message.</summary>
    Accepted,

    /// <summary>Throttled or a passing fault: try the same provider again later.</summary>
    Transient,

    /// <summary>This message or recipient will never be accepted: do not retry, do not fail over.</summary>
    Permanent,

    /// <summary>The provider itself is unusable (auth, 5xx, timeout, paused account): retry, then fail over.</summary>
    ProviderDown,
}

/// <summary>What one call to a provider came to. Providers return failures rather than throw them.</summary>
public sealed record ProviderResult(ProviderOutcome Outcome, string? ProviderMessageId = null, string? Reason = null, TimeSpan? RetryAfter = null)
{
    /// <summary>False for failures that retrying cannot fix (bad credentials, a suspended account).</summary>
    public bool Retryable { get; init; } = true;

    public static ProviderResult Accepted(string providerMessageId) => new(ProviderOutcome.Accepted, providerMessageId);

    public static ProviderResult Transient(string reason, TimeSpan? retryAfter = null) => new(ProviderOutcome.Transient, Reason: reason, RetryAfter: retryAfter);

    public static ProviderResult Permanent(string reason) => new(ProviderOutcome.Permanent, Reason: reason) { Retryable = false };

    public static ProviderResult Down(string reason, bool retryable = true, TimeSpan? retryAfter = null) =>
        new(ProviderOutcome.ProviderDown, Reason: reason, RetryAfter: retryAfter) { Retryable = retryable };
}
