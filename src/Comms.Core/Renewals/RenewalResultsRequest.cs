using Comms.Templates;

namespace Comms.Renewals;

/// <summary>POST /libraries/{libraryId}/renewal-results body: the results of one automatic renewal run, or part of it.</summary>
public sealed record RenewalResultsRequest
{
    public IReadOnlyList<RenewalResultItem?>? Results { get; init; }
}

/// <summary>
/// One loan's result: renewed to <see cref="DueAt"/> (with <see cref="FinalRenewal"/> when it cannot be renewed
/// again), or not renewed for <see cref="Reason"/>.
/// </summary>
public sealed record RenewalResultItem
{
    public string? LoanId { get; init; }
    public bool? Renewed { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public RenewalRefusal? Reason { get; init; }
    public bool FinalRenewal { get; init; }
}

/// <summary>What a post did: loans whose due date moved, results recorded for the patrons' next digests, repeats ignored.</summary>
public sealed record RenewalResultsOutcome(int Renewed, int NotRenewed, int Recorded, int Repeats, IReadOnlyList<string> Patrons);
