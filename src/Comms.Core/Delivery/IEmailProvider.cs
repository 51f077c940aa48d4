namespace Comms.Delivery;

/// <summary>One way of handing a message to the outside world.</summary>
public interface IEmailProvider
{
    /// <summary>One of <see cref="ProviderNames"/> (tests may register wrappers under the same name).</summary>
    string Name { get; }

    /// <summary>
    /// True when sending the same <see cref="OutgoingEmail.MessageKey"/> twice delivers once (ACS Operation-Id,
    /// pickup file name). The ledger re-sends after a crash only through such providers without hesitation.
    /// </summary>
    bool IdempotentByMessageKey { get; }

    /// <summary>Sends; failures come back as results. Only cancellation and programming errors throw.</summary>
    Task<ProviderResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken = default);
}
