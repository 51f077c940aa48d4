using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Comms.Delivery;

/// <summary>One failed try, kept so the email log shows every attempt at the time it was made.</summary>
public sealed record FailedAttempt(string Provider, int Attempt, ProviderResult Result, DateTimeOffset At);

/// <summary>
/// Calls one provider for one message: waits for the provider's rate limiter, retries transient and
/// provider-side failures with backoff and jitter (at least the Retry-After asked for), and stops at once on
/// a permanent rejection. Before each call it asks whether the send may still go (the sender's claims are still its
/// own); when not, it stops without calling and answers no result.
/// </summary>
public sealed class ProviderAttempts(ProviderRateLimiters limiters, DeliveryMetrics metrics, IOptions<EmailOptions> options, TimeProvider clock)
{
    public async Task<(ProviderResult? Final, int Attempts)> SendAsync(
        IEmailProvider provider, OutgoingEmail email, string scenario, List<FailedAttempt> failures, Func<CancellationToken, Task<bool>> mayCall,
        CancellationToken cancellationToken, int? maxAttempts = null)
    {
        var retry = options.Value.Retry;
        var limit = Math.Min(retry.MaxAttempts, maxAttempts ?? int.MaxValue);
        for (var attempt = 1; ; attempt++)
        {
            ProviderResult result;
            using (await limiters.AcquireAsync(provider.Name, email.RecipientCount, cancellationToken))
            {
                // After the rate limiter's wait, which can be long: the last moment before the message leaves.
                if (!await mayCall(cancellationToken))
                {
                    return (null, attempt - 1);
                }

                var started = Stopwatch.GetTimestamp();
                result = await provider.SendAsync(email, cancellationToken);
                metrics.Latency(provider.Name, scenario, Stopwatch.GetElapsedTime(started));
            }

            if (result.Outcome is ProviderOutcome.Accepted or ProviderOutcome.Permanent || !result.Retryable || attempt >= limit)
            {
                return (result, attempt);
            }

            failures.Add(new FailedAttempt(provider.Name, attempt, result, clock.GetUtcNow()));
            metrics.Retried(provider.Name, scenario);
            await Task.Delay(RetryDelays.Next(retry, attempt, result.RetryAfter, Random.Shared), cancellationToken);
        }
    }
}
