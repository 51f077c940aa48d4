using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Comms.Delivery;

/// <summary>
/// One token bucket per provider for the whole process, filled at the configured messages per second, so a
/// morning burst queues here instead of tripping the provider's quota. Permits are recipients: SES and ACS
/// count every recipient of a BCC message against the send rate.
/// </summary>
public sealed class ProviderRateLimiters(IOptions<EmailOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, RateLimiter?> _limiters = new(StringComparer.Ordinal);

    public async ValueTask<RateLimitLease?> AcquireAsync(string provider, int recipients, CancellationToken cancellationToken)
    {
        var limiter = _limiters.GetOrAdd(provider, Create);
        if (limiter is null)
        {
            return null;
        }

        var permits = Math.Clamp(recipients, 1, TokenLimit(RateFor(provider)));
        var lease = await limiter.AcquireAsync(permits, cancellationToken);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new InvalidOperationException($"The {provider} rate limiter queue is full.");
        }

        return lease;
    }

    public double RateFor(string provider) => provider switch
    {
        ProviderNames.Ses => options.Value.Ses.MessagesPerSecond,
        ProviderNames.Acs => options.Value.Acs.MessagesPerSecond,
        ProviderNames.Smtp => options.Value.Smtp.MessagesPerSecond,
        ProviderNames.Pickup => options.Value.Pickup.MessagesPerSecond,
        _ => 0,
    };

    private RateLimiter? Create(string provider)
    {
        var rate = RateFor(provider);
        if (rate <= 0)
        {
            return null;
        }

        // Fractional rates (0.5/s) refill one token every 1/rate seconds; whole rates refill each second.
        var (tokensPerPeriod, period) = rate >= 1
            ? ((int)Math.Floor(rate), TimeSpan.FromSeconds(1))
            : (1, TimeSpan.FromSeconds(1 / rate));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = TokenLimit(rate),
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = 1_000_000,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    private static int TokenLimit(double rate) => Math.Max(1, (int)Math.Floor(rate));

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter?.Dispose();
        }
    }
}
