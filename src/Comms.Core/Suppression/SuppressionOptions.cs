using System.ComponentModel.DataAnnotations;

namespace Comms.Suppression;

/// <summary>Section Comms:Suppression: the provider list sync, ACS lists and SNS notifications.</summary>
public sealed class SuppressionOptions : IValidatableObject
{
    public const string Section = "Comms:Suppression";

    /// <summary>NCRONTAB for the timer (read by the trigger as %Comms:Suppression:SyncSchedule%).</summary>
    public string SyncSchedule { get; set; } = "0 0 2 * * *";

    /// <summary>Days between full resyncs; runs in between read only what changed since the last watermark.</summary>
    [Range(1, 365)]
    public int FullResyncDays { get; set; } = 7;

    /// <summary>An incremental run starts this far before the watermark, for clock skew and late listings.</summary>
    [Range(0, 1440)]
    public int OverlapMinutes { get; set; } = 60;

    /// <summary>A run stops (keeping its checkpoint) after this long, inside the Functions timeout of 10 minutes.</summary>
    [Range(10, 3600)]
    public int MaxRunSeconds { get; set; } = 480;

    /// <summary>
    /// How old the in-memory blacklist the send path checks may be before a check waits for a refresh, which reads
    /// the rows changed since the last one (another instance's bounces and syncs). 0 = no memory: a point read per
    /// recipient. This process's own writes are seen at once either way.
    /// </summary>
    [Range(0, 3600)]
    public int BlacklistRefreshSeconds { get; set; } = 30;

    /// <summary>Minutes between full reads of the blacklist, which also drop entries another instance removed.</summary>
    [Range(1, 1440)]
    public int BlacklistFullReloadMinutes { get; set; } = 15;

    public SesSuppressionOptions Ses { get; set; } = new();
    public AcsSuppressionOptions Acs { get; set; } = new();
    public SnsOptions Sns { get; set; } = new();

    // Data annotations do not look into nested objects by themselves.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(Ses, new ValidationContext(Ses), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult("Comms:Suppression:Ses: " + r.ErrorMessage, r.MemberNames));
    }
}

public sealed class SesSuppressionOptions
{
    /// <summary>Read the SES account suppression list (credentials and region from Comms:Email:Ses).</summary>
    public bool Enabled { get; set; }

    /// <summary>Endpoint override for the suppression calls only (a fake in tests); empty = Comms:Email:Ses's.</summary>
    public Uri? ServiceUrl { get; set; }

    [Range(1, 1000)]
    public int PageSize { get; set; } = 1000;

    /// <summary>Attempts per call when SES answers TooManyRequestsException or 5xx.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 8;
}

public sealed class AcsSuppressionOptions
{
    /// <summary>ARM ids of ACS suppression lists, separated by ';' (empty = ACS not synced).</summary>
    public string? SuppressionLists { get; set; }

    public Uri ArmEndpoint { get; set; } = new("https://management.azure.com/");
    public string ApiVersion { get; set; } = "2023-06-01-preview";
    public string? ManagedIdentityClientId { get; set; }

    public IReadOnlyList<string> ListIds =>
        (SuppressionLists ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public sealed class SnsOptions
{
    /// <summary>Hosts a SigningCertURL or SubscribeURL may point at: an exact host or a suffix starting with '.'.</summary>
    public string TrustedHosts { get; set; } = ".amazonaws.com";

    /// <summary>Topic ARNs accepted, separated by ';' (empty = any topic whose messages verify).</summary>
    public string? TopicArns { get; set; }

    /// <summary>For tests against a local fake only: accept http:// certificate and subscribe URLs.</summary>
    public bool AllowHttp { get; set; }
}
