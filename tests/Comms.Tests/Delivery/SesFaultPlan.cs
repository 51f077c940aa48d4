using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Comms.Tests.Delivery;

/// <summary>What the fault proxy did with one SendEmail request.</summary>
public enum SesFault
{
    /// <summary>Passed to aws-ses-v2-local and its answer passed back.</summary>
    Forwarded,

    /// <summary>500 InternalServiceErrorException (the SES v2 model's 500 error).</summary>
    InternalError,

    /// <summary>503 ServiceUnavailable, the AWS front end's answer when the service is overloaded.</summary>
    Unavailable,

    /// <summary>Held without forwarding until the app's SES client gave up: a request lost on the way in.</summary>
    RequestLost,

    /// <summary>429 TooManyRequestsException with Retry-After, inside the throttling storm window.</summary>
    ThrottleStorm,

    /// <summary>503 ServiceUnavailable for every request inside the "primary down" window.</summary>
    ProviderDown,
}

/// <summary>
/// Decides what the proxy does with each SendEmail request. Two windows, each opened by the request count (so it
/// falls among sends whatever the machine's speed) and closed by time (so a notice retrying through it sees
/// every attempt fail for as long as the window lasts): a 429 storm, then the provider down. The storm also
/// stays open until one message has been refused <see cref="StormRefusalsToEnd"/> times (bounded by
/// <see cref="StormMaxLength"/>): when it opens in a lull between waves of sends, a fixed length could close it
/// before any run used up its attempts in it, and the run that gives up is what the storm is there to cause. Outside them the
/// answer depends only on the message (recipient and subject) and how many times the proxy has seen it, so a
/// rerun injects the same faults into the same attempts.
/// </summary>
public sealed class SesFaultPlan
{
    private readonly ConcurrentDictionary<string, int> _seen = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _requests;
    private DateTime? _stormStarted;
    private DateTime? _downStarted;
    private int _mostStormRefusals;
    private readonly Dictionary<string, int> _stormRefusals = new(StringComparer.Ordinal);

    public required int StormAfterRequests { get; init; }
    public required TimeSpan StormLength { get; init; }

    /// <summary>The storm lasts until one message has had this many 429s (the app's attempts per run); 0: by time only.</summary>
    public int StormRefusalsToEnd { get; init; }

    /// <summary>However few refusals, the storm ends after this long.</summary>
    public TimeSpan StormMaxLength { get; init; } = TimeSpan.FromSeconds(60);
    public required int DownAfterRequests { get; init; }
    public required TimeSpan DownLength { get; init; }

    /// <summary>Share of attempts answered 500 or 503 (half each) outside the windows.</summary>
    public int TransientPercent { get; init; } = 20;

    /// <summary>Share of attempts held until the client times out, outside the windows.</summary>
    public int RequestLostPercent { get; init; } = 4;

    public SesFault Next(string messageKey)
    {
        var attempt = _seen.AddOrUpdate(messageKey, 1, (_, n) => n + 1);
        var now = DateTime.UtcNow;
        lock (_gate)
        {
            _requests++;
            if (_requests == StormAfterRequests)
            {
                _stormStarted = now;
            }

            if (_requests == DownAfterRequests)
            {
                _downStarted = now;
            }

            if (Within(_downStarted, DownLength, now))
            {
                return SesFault.ProviderDown;
            }

            if (StormOpen(now))
            {
                _stormRefusals[messageKey] = _stormRefusals.GetValueOrDefault(messageKey) + 1;
                _mostStormRefusals = Math.Max(_mostStormRefusals, _stormRefusals[messageKey]);
                return SesFault.ThrottleStorm;
            }
        }

        var roll = Roll(messageKey, attempt);
        return roll < TransientPercent / 2 ? SesFault.InternalError
            : roll < TransientPercent ? SesFault.Unavailable
            : roll < TransientPercent + RequestLostPercent ? SesFault.RequestLost
            : SesFault.Forwarded;
    }

    private bool StormOpen(DateTime now) =>
        Within(_stormStarted, StormLength, now) || (Within(_stormStarted, StormMaxLength, now) && _mostStormRefusals < StormRefusalsToEnd);

    private static bool Within(DateTime? started, TimeSpan length, DateTime now) => started is { } s && now - s < length;

    /// <summary>0-99 from a hash of the message and the attempt number.</summary>
    private static int Roll(string messageKey, int attempt)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{messageKey}#{attempt}"));
        return (int)(BinaryPrimitives.ReadUInt32BigEndian(hash) % 100);
    }
}
