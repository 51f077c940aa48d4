using Comms.Delivery;

namespace Comms.Sms;

/// <summary>One SMS provider (ACS, or the pickup folder locally). Providers return failures rather than throw them.</summary>
public interface ISmsProvider
{
    string Name { get; }

    Task<ProviderResult> SendAsync(OutgoingSms sms, CancellationToken cancellationToken = default);
}

/// <summary>
/// One text to one number. <see cref="RepeatabilityRequestId"/> and <see cref="FirstSentAt"/> are fixed by the ledger
/// claim, so a repeat after a crash is the same request to the service and is not sent twice.
/// </summary>
public sealed record OutgoingSms(
    string MessageKey,
    string From,
    string To,
    string Text,
    Guid RepeatabilityRequestId,
    DateTimeOffset FirstSentAt,
    string Tag);
