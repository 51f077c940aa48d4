namespace Comms.Delivery;

/// <summary>Exponential backoff with full jitter, never shorter than what the provider asked for.</summary>
public static class RetryDelays
{
    public static TimeSpan Next(RetryOptions options, int failedAttempts, TimeSpan? retryAfter, Random random)
    {
        var cap = Math.Min(options.MaxDelayMilliseconds, options.BaseDelayMilliseconds * Math.Pow(2, Math.Max(0, failedAttempts - 1)));
        var jittered = TimeSpan.FromMilliseconds(random.NextDouble() * cap);
        return retryAfter is { } asked && asked > jittered ? asked : jittered;
    }
}
