using System.Collections.Concurrent;
using Comms.Delivery;

namespace Comms.Tests.Delivery;

/// <summary>
/// Wraps a real provider: a script may answer instead of it (fault injection) or throw after it accepted
/// (a crash between the provider's accept and the ledger write). Counts what the real provider accepted.
/// </summary>
public sealed class ScriptedProvider(IEmailProvider inner) : IEmailProvider
{
    public string Name => inner.Name;
    public bool IdempotentByMessageKey => inner.IdempotentByMessageKey;

    /// <summary>Returns a result to answer without calling the real provider, or null to pass through.</summary>
    public Func<OutgoingEmail, int, ProviderResult?> Before { get; set; } = (_, _) => null;

    /// <summary>When true for a message, the process "dies" right after the real provider accepted it.</summary>
    public Func<OutgoingEmail, bool> CrashAfterAccept { get; set; } = _ => false;

    public ConcurrentDictionary<string, int> Calls { get; } = new();
    public ConcurrentDictionary<string, int> Accepted { get; } = new();

    public async Task<ProviderResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken = default)
    {
        var call = Calls.AddOrUpdate(email.MessageKey, 1, (_, n) => n + 1);
        if (Before(email, call) is { } scripted)
        {
            return scripted;
        }

        var result = await inner.SendAsync(email, cancellationToken);
        if (result.Outcome == ProviderOutcome.Accepted)
        {
            Accepted.AddOrUpdate(email.MessageKey, 1, (_, n) => n + 1);
            if (CrashAfterAccept(email))
            {
                throw new SimulatedCrashException();
            }
        }

        return result;
    }
}

public sealed class SimulatedCrashException() : Exception("Simulated process crash after the provider accepted.");
