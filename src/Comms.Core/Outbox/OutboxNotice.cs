namespace Comms.Outbox;

/// <summary>
/// One immediate notice in the outbox, as stored (table OutboxNotices, partition = library, row = notice id). The
/// notice's data (the <see cref="Notices.NoticeRequest"/>) is kept only encrypted, in <see cref="ProtectedRequest"/>,
/// and dropped once a password reset is final; nothing else here is secret.
/// </summary>
public sealed record OutboxNotice
{
    public required string Id { get; init; }
    public required string LibraryId { get; init; }
    public required string Scenario { get; init; }
    public required string SubjectRecordId { get; init; }
    public string? PatronId { get; init; }
    public string? SupplierId { get; init; }
    public required NoticeState State { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>After this no attempt starts: a reset link's expiry (less a margin), else created + GiveUpAfter.</summary>
    public required DateTimeOffset GiveUpAt { get; init; }

    /// <summary>When the next attempt is due while queued after a failure.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>While sending: until when the attempt holds the notice (see OutboxOptions.AttemptLease).</summary>
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>Why it ended as it did (failed, expired, cancelled, skipped), in words staff can read.</summary>
    public string? Reason { get; init; }

    public IReadOnlyList<NoticeAttempt> Attempts { get; init; } = [];

    /// <summary>The delivery ledger's id of each recipient (the email log's noticeId) and where that recipient is.</summary>
    public IReadOnlyList<NoticeRecipientState> Recipients { get; init; } = [];

    /// <summary>Set on a resend: the notice it repeats.</summary>
    public string? ResendOf { get; init; }

    /// <summary>The resends made of this notice, oldest first.</summary>
    public IReadOnlyList<string> Resends { get; init; } = [];

    /// <summary>The encrypted NoticeRequest JSON (NoticeProtector); null once it is no longer needed.</summary>
    public string? ProtectedRequest { get; init; }
}

// The nullable members have defaults: the row's JSON leaves nulls out, and a positional member without a
// default would be required when the row is read back.

/// <summary>One recipient outcome of one attempt: when, through which provider, how it ended and why.</summary>
public sealed record NoticeAttempt(int Number, DateTimeOffset At, string Status, string? Provider = null, string? Reason = null, string? LedgerId = null);

/// <summary>
/// A recipient by its ledger id (never by address: the email log is where staff see addresses), on one channel: a
/// reader the email could not reach appears again by SMS or print, so the library system learns of the move from the
/// notice's status and its status events. Rows stored before channels existed read "email".
/// </summary>
public sealed record NoticeRecipientState(string LedgerId, string Status, DateTimeOffset At, string? Provider = null, string? Reason = null, string Channel = "email");
