namespace Comms.Outbox;

/// <summary>
/// A notice's status as the API tells it: state, every attempt (time, provider, status, reason), each recipient
/// by ledger id, and the links to follow (itself, its email log rows, the notice it resends, its resends). Never
/// its content: the reset link and the rest of the data stay encrypted in the outbox.
/// </summary>
public sealed record NoticeStatusView(
    string Id,
    string LibraryId,
    string Scenario,
    string SubjectRecordId,
    string? PatronId,
    string? SupplierId,
    NoticeState Status,
    string? Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset GiveUpAt,
    DateTimeOffset? NextAttemptAt,
    IReadOnlyList<NoticeAttempt> Attempts,
    IReadOnlyList<NoticeRecipientState> Recipients,
    string? ResendOf,
    IReadOnlyList<string> Resends,
    NoticeStatusLinks Links)
{
    public static NoticeStatusView Of(OutboxNotice n) => new(
        n.Id, n.LibraryId, n.Scenario, n.SubjectRecordId, n.PatronId, n.SupplierId, n.State, n.Reason, n.CreatedAt, n.UpdatedAt, n.GiveUpAt,
        n.State == NoticeState.Queued ? n.NextAttemptAt : null, n.Attempts, n.Recipients, n.ResendOf, n.Resends,
        new NoticeStatusLinks(
            NoticeLinks.Status(n.LibraryId, n.Id),
            $"/api/libraries/{n.LibraryId}/email-log?outboxNoticeId={n.Id}",
            n.ResendOf is null ? null : NoticeLinks.Status(n.LibraryId, n.ResendOf)));
}

public sealed record NoticeStatusLinks(string Self, string EmailLog, string? ResendOf);
