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

    /// <summary>Where it came from: "ses", "acs", "staff", "import".</summary>
    public required string Source { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
