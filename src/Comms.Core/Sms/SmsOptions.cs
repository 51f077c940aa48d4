using System.ComponentModel.DataAnnotations;
using Comms.Common;

namespace Comms.Sms;

/// <summary>
/// Section Comms:Sms: the SMS channel (docs/channels.md). <see cref="Provider"/> None turns the channel off: a chain
/// step to SMS is then logged Failed ("SMS is not configured") instead of texting anyone.
/// </summary>
public sealed class SmsOptions : IValidatableObject
{
    public const string Section = "Comms:Sms";

    /// <summary>Acs, Pickup (one file per SMS, the local default) or None.</summary>
    [Required]
    public string Provider { get; set; } = SmsProviderNames.Pickup;

    /// <summary>The sender: a number of the Communication Service in E.164 (bought in the portal, docs/deploy.md).</summary>
    public string? From { get; set; }

    /// <summary>Ask ACS for delivery reports (SMSDeliveryReportReceived through Event Grid).</summary>
    public bool EnableDeliveryReport { get; set; } = true;

    /// <summary>The storage queue the ACS SMSReceived events reach (an Event Grid subscription): STOP and START replies.</summary>
    [Required]
    public string InboundQueueName { get; set; } = "sms-inbound-events";

    public AcsSmsOptions Acs { get; set; } = new();

    public SmsPickupOptions Pickup { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!SmsProviderNames.All.Contains(Provider, StringComparer.Ordinal))
        {
            yield return new ValidationResult($"Unknown SMS provider '{Provider}'. Use one of: {string.Join(", ", SmsProviderNames.All)}.");
        }

        if (Provider == SmsProviderNames.Acs)
        {
            if (!PhoneNumber.IsValid(From))
            {
                yield return new ValidationResult("Comms:Sms:From must be the Communication Service's phone number in E.164 (+…) when ACS sends SMS.");
            }

            if (!string.IsNullOrWhiteSpace(Acs.ConnectionString) && !Delivery.AcsConnectionString.TryParse(Acs.ConnectionString, out _))
            {
                yield return new ValidationResult("Comms:Sms:Acs:ConnectionString must look like 'endpoint=https://...;accesskey=<base64>'.");
            }
            else if (string.IsNullOrWhiteSpace(Acs.ConnectionString) && Acs.Endpoint is null)
            {
                yield return new ValidationResult("Set Comms:Sms:Acs:ConnectionString, or Comms:Sms:Acs:Endpoint for managed identity.");
            }
        }

        if (Provider == SmsProviderNames.Pickup && string.IsNullOrWhiteSpace(Pickup.Directory))
        {
            yield return new ValidationResult("Comms:Sms:Pickup:Directory is required when the SMS pickup folder is used.");
        }
    }
}

public sealed class AcsSmsOptions
{
    /// <summary>https://{resource}.communication.azure.com; taken from the connection string when that is set.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>"endpoint=...;accesskey=..." for HMAC; empty means Entra ID (managed identity in Azure).</summary>
    public string? ConnectionString { get; set; }

    public string? ManagedIdentityClientId { get; set; }

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;
}

public sealed class SmsPickupOptions
{
    public string Directory { get; set; } = "outbox/sms";
}

public static class SmsProviderNames
{
    public const string Acs = "Acs";
    public const string Pickup = "Pickup";
    public const string None = "None";

    public static readonly IReadOnlyList<string> All = [Acs, Pickup, None];

    /// <summary>The provider name in the ledger and the email log: apart from the email providers of the same name.</summary>
    public static string Logged(string provider) => provider + "Sms";
}
