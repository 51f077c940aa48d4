namespace Comms.Delivery;

/// <summary>
/// A provider sends only from addresses it has verified. When a deployment pairs providers (SES with ACS as
/// failover), the platform sender verified in one is unknown to the other, so each provider may name its own
/// sender for mail that would go from the platform sender. A library's own verified address is left alone.
/// </summary>
public static class ProviderSender
{
    public static OutgoingEmail Apply(OutgoingEmail email, string platformSender, string? providerSender) =>
        string.IsNullOrWhiteSpace(providerSender) || !string.Equals(email.From.Address, platformSender, StringComparison.OrdinalIgnoreCase)
            ? email
            : email with { From = email.From with { Address = providerSender } };
}
