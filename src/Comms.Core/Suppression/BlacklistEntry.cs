namespace Comms.Suppression;

/// <summary>
/// An address nothing is sent to. Global rather than per library: bounces and complaints belong to the
/// provider account, and a hard bounce for one library is a hard bounce for all.
/// </summary>
public sealed record BlacklistEntry
{
    public required string Address { get; init; }

    /// <summary>Why: "hard bounce", "complaint", "staff request".</summary>
    public required string Reason { get; init; }

    /// <summary>Where it came from: see <see cref="BlacklistSources"/>.</summary>
    public required string Source { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The provider's own handle for the entry when it has one (the ACS suppression list address resource id).</summary>
    public string? ProviderRef { get; init; }
}

/// <summary>Entry sources. A full resync only ever removes entries of the source it reads.</summary>
public static class BlacklistSources
{
    /// <summary>The SES account suppression list, read by the sync.</summary>
    public const string Ses = "ses";

    /// <summary>A SES bounce or complaint notification through SNS.</summary>
    public const string SesNotification = "ses-notification";

    /// <summary>An ACS suppression list, read by the sync.</summary>
    public const string Acs = "acs";

    /// <summary>An ACS delivery report (Bounced / Suppressed).</summary>
    public const string AcsEvent = "acs-event";

    public const string Staff = "staff";
}
