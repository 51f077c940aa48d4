using System.ComponentModel.DataAnnotations;

namespace Comms.Delivery;

/// <summary>
/// Section Comms:Email. Only the platform provider, the platform failover and providers named by libraries
/// are used, but a provider is validated when it is the platform default or failover so a bad deployment
/// fails at start rather than at 09:00 on a Monday.
/// </summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string Section = "Comms:Email";

    [Required]
    public string Provider { get; set; } = ProviderNames.Pickup;

    public string? FailoverProvider { get; set; }

    /// <summary>Sender used when a library's own address is not verified with the provider.</summary>
    [Required, EmailAddress]
    public string PlatformSender { get; set; } = "notices@comms.localhost";

    /// <summary>
    /// How long a claim on a notice may go without renewal before another worker may decide its sender crashed and take
    /// it over. A live sender renews its claims every third of this (HeldClaims), however long it takes. At most 240 s:
    /// a crashed worker's claim must expire inside the orchestrations' activity retry budget (about 6 minutes), or the
    /// step would give up before the notice could be sent.
    /// </summary>
    [Range(0, 240)]
    public int ClaimLeaseSeconds { get; set; } = 120;

    /// <summary>
    /// How long a template test send may take before the staff member is answered 503: they wait at the editor for a
    /// yes or no, so a slow or hanging provider is reported quickly rather than retried for minutes.
    /// </summary>
    [Range(1, 120)]
    public int TestSendTimeoutSeconds { get; set; } = 15;

    public RetryOptions Retry { get; set; } = new();
    public SesOptions Ses { get; set; } = new();
    public AcsOptions Acs { get; set; } = new();
    public SmtpOptions Smtp { get; set; } = new();
    public PickupOptions Pickup { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var name in new[] { Provider, FailoverProvider }.Where(n => !string.IsNullOrWhiteSpace(n)))
        {
            if (!ProviderNames.All.Contains(name, StringComparer.Ordinal))
            {
                yield return new ValidationResult($"Unknown email provider '{name}'. Use one of: {string.Join(", ", ProviderNames.All)}.");
                continue;
            }

            foreach (var error in ValidateProvider(name!))
            {
                yield return error;
            }
        }

        if (!string.IsNullOrWhiteSpace(FailoverProvider) && string.Equals(FailoverProvider, Provider, StringComparison.Ordinal))
        {
            yield return new ValidationResult("Comms:Email:FailoverProvider must differ from Comms:Email:Provider.");
        }
    }

    private IEnumerable<ValidationResult> ValidateProvider(string name) => name switch
    {
        ProviderNames.Ses => Ses.Validate(),
        ProviderNames.Acs => Acs.Validate(),
        ProviderNames.Smtp => Smtp.Validate(),
        _ => Pickup.Validate(),
    };
}

/// <summary>Bounded retries for transient failures; the delays are exponential with full jitter.</summary>
public sealed class RetryOptions
{
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    [Range(0, 60_000)]
    public int BaseDelayMilliseconds { get; set; } = 500;

    [Range(0, 300_000)]
    public int MaxDelayMilliseconds { get; set; } = 30_000;
}

public sealed class SesOptions
{
    public string? Region { get; set; }

    /// <summary>Endpoint override (aws-ses-v2-local); empty means the regional AWS endpoint.</summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>Both empty means the AWS default credential chain (environment, profile, instance role).</summary>
    public string? AccessKeyId { get; set; }
    public string? SecretAccessKey { get; set; }
    public string? ConfigurationSetName { get; set; }
    public double MessagesPerSecond { get; set; } = 14;
    public int TimeoutSeconds { get; set; } = 30;

    internal IEnumerable<ValidationResult> Validate()
    {
        if (string.IsNullOrWhiteSpace(Region))
        {
            yield return new ValidationResult("Comms:Email:Ses:Region is required when SES is used.");
        }

        if (string.IsNullOrWhiteSpace(AccessKeyId) != string.IsNullOrWhiteSpace(SecretAccessKey))
        {
            yield return new ValidationResult("Set both Comms:Email:Ses:AccessKeyId and SecretAccessKey, or neither (default AWS credentials).");
        }
    }
}

public sealed class AcsOptions
{
    /// <summary>https://{resource}.communication.azure.com; taken from the connection string when that is set.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>"endpoint=...;accesskey=..." for HMAC; empty means Entra ID (managed identity in Azure).</summary>
    public string? ConnectionString { get; set; }
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>
    /// The address ACS sends platform mail from when it differs from Comms:Email:PlatformSender: with SES as the
    /// other provider, the platform sender is verified in SES, and ACS sends only from its linked domains
    /// (DoNotReply@ the Azure-managed domain). Empty: the platform sender.
    /// </summary>
    public string? Sender { get; set; }

    public double MessagesPerSecond { get; set; } = 10;

    /// <summary>Poll the send operation to Succeeded/Failed; when off, the 202 is recorded as accepted.</summary>
    public bool PollToTerminal { get; set; } = true;

    /// <summary>Upper bound on waiting for a terminal status before recording the send as accepted.</summary>
    public int PollTimeoutSeconds { get; set; } = 60;
    public int TimeoutSeconds { get; set; } = 30;

    internal IEnumerable<ValidationResult> Validate()
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            if (!AcsConnectionString.TryParse(ConnectionString, out _))
            {
                yield return new ValidationResult("Comms:Email:Acs:ConnectionString must look like 'endpoint=https://...;accesskey=<base64>'.");
            }
        }
        else if (Endpoint is null)
        {
            yield return new ValidationResult("Set Comms:Email:Acs:ConnectionString, or Comms:Email:Acs:Endpoint for managed identity.");
        }

        if (!string.IsNullOrWhiteSpace(Sender) && !new EmailAddressAttribute().IsValid(Sender))
        {
            yield return new ValidationResult("Comms:Email:Acs:Sender must be an email address on a domain linked to the Communication Service, or empty.");
        }
    }
}

public enum SmtpTlsMode
{
    None,
    StartTls,
    Implicit,
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public SmtpTlsMode TlsMode { get; set; } = SmtpTlsMode.StartTls;
    public string? User { get; set; }
    public string? Password { get; set; }
    public double MessagesPerSecond { get; set; } = 5;
    public int TimeoutSeconds { get; set; } = 30;

    internal IEnumerable<ValidationResult> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return new ValidationResult("Comms:Email:Smtp:Host is required when SMTP is used.");
        }

        if (Port is < 1 or > 65535)
        {
            yield return new ValidationResult("Comms:Email:Smtp:Port must be 1-65535.");
        }
    }
}

public sealed class PickupOptions
{
    public string Directory { get; set; } = "outbox";

    /// <summary>0 means no limit: the disk is the only quota.</summary>
    public double MessagesPerSecond { get; set; }

    internal IEnumerable<ValidationResult> Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            yield return new ValidationResult("Comms:Email:Pickup:Directory is required when the pickup folder is used.");
        }
    }
}
