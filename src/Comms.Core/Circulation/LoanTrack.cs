namespace Comms.Circulation;

/// <summary>
/// What a loan orchestration carries from step to step (and through ContinueAsNew): the loan's keys, its
/// current due date, the instant before which ladder steps are skipped, and the steps already sent.
/// Steps are named by their <see cref="Scenarios.ScenarioKey"/> string ("overdue", "escalation-2").
/// </summary>
public sealed record LoanTrack
{
    public required string LibraryId { get; init; }
    public required string LoanId { get; init; }
    public required string PatronId { get; init; }
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>When the loan arrived, or was renewed or recalled with a new due date: earlier steps are skipped.</summary>
    public required DateTimeOffset NotBefore { get; init; }

    public IReadOnlyList<SentStep> Sent { get; init; } = [];

    /// <summary>
    /// Days every ladder step falls later than the library's timing says: a loan imported past a step continues
    /// from it at the next send time, the later steps keeping their spacing (<see cref="LoanLadder.Resume"/>).
    /// </summary>
    public int ShiftDays { get; init; }

    public DateTimeOffset? LastSentAt => Sent.Count == 0 ? null : Sent[^1].FireAt;

    public static LoanTrack Start(Loan loan, DateTimeOffset now) => new()
    {
        LibraryId = loan.LibraryId,
        LoanId = loan.LoanId,
        PatronId = loan.PatronId,
        DueAt = loan.DueAt,
        NotBefore = now,
    };
}

/// <summary>A step the orchestration will wait for.</summary>
public sealed record PlannedStep(string Step, DateTimeOffset FireAt, DateOnly ScheduledFor);

/// <summary>
/// A step that was handled, and how: "sent", "failed", "suppressed", "noContact", "skipped" (the library's
/// rules), "none", "digest" (listed in another loan's email), or "imported" (sent by the library's previous
/// system before the loan was posted).
/// </summary>
public sealed record SentStep(string Step, DateTimeOffset FireAt, string Outcome);
