using Comms.Circulation;

namespace Comms.Functions.Circulation;

/// <summary>The loan orchestration's input; <see cref="Planned"/> says whether <see cref="Next"/> was already worked out (by the HTTP call that started it).</summary>
public sealed record LoanStart(LoanTrack Track, bool Planned, PlannedStep? Next);

public enum LoanEventKind
{
    Renew,
    Return,
    Recall,

    /// <summary>Declared lost by the library system: the ladder ends (the declared-lost notice is sent by the HTTP call).</summary>
    Lost,

    /// <summary>
    /// Something the next step's time depends on changed (the patron's courtesy days): plan the next step again from
    /// now; the due date and the steps already sent stay.
    /// </summary>
    Replan,
}

/// <summary>
/// The one external event a loan orchestration waits for; DueAt is the new due date of a renew or recall (null
/// when a recall leaves it), ReturnBy the date a recall asks the item back by.
/// </summary>
public sealed record LoanEvent(LoanEventKind Kind, DateTimeOffset? DueAt = null, string? Reason = null, DateTimeOffset? ReturnBy = null);

public sealed record StepInput(LoanTrack Track, PlannedStep Step);

/// <summary>A re-plan: the track (its NotBefore moved to now) and the step the loan was waiting for, whose digests it leaves if that step moves.</summary>
public sealed record ReplanInput(LoanTrack Track, PlannedStep? Current);

/// <summary>How the step went (<see cref="Comms.Notices.NoticeDispatchResult.Outcome"/>, or "digest" when another loan's email listed it) and the step after it.</summary>
public sealed record StepResult(string Outcome, PlannedStep? Next);

/// <summary>A recall to send: <see cref="LoanTrack.DueAt"/> of the track is the due date before the recall, which the notice lists as "originally due".</summary>
public sealed record RecallNotice(LoanTrack Track, string? Reason, DateTimeOffset? NewDueAt, DateTime RecalledAt);

/// <summary>The orchestration's custom status: what GET /loans/{loanId} reports as the loan's notice status.</summary>
public sealed record LoanNoticeStatus(string State, DateTimeOffset DueAt, string? NextStep, DateTimeOffset? NextAt, IReadOnlyList<SentStep> Sent)
{
    public static LoanNoticeStatus Active(LoanTrack track, PlannedStep? next) =>
        new("active", track.DueAt, next?.Step, next?.FireAt, track.Sent);

    public static LoanNoticeStatus Returned(LoanTrack track) => new("returned", track.DueAt, null, null, track.Sent);

    public static LoanNoticeStatus Lost(LoanTrack track) => new("lost", track.DueAt, null, null, track.Sent);
}
