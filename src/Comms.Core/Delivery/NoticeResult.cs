using Comms.EmailLog;

namespace Comms.Delivery;

/// <summary>What became of one recipient of a notice.</summary>
/// <param name="AlreadySent">Skipped because an earlier attempt sent this notice (a retry or repeat), not by a rule.</param>
public sealed record RecipientOutcome(string NoticeId, EmailStatus Status, string? Reason = null, string? Provider = null, string? ProviderMessageId = null, bool AlreadySent = false)
{
    /// <summary>
    /// The email cannot reach this reader (no, invalid or blacklisted address, a permanent refusal now or earlier): the
    /// library's chain may move them to the next channel (docs/channels.md).
    /// </summary>
    public bool EmailUnreachable { get; init; }

    /// <summary>The channel this outcome is of: a reader the email could not reach has a second outcome by SMS or print.</summary>
    public NoticeChannel Channel { get; init; } = NoticeChannel.Email;
}

/// <summary>
/// The outcome per recipient. <see cref="RetryLater"/> is true when something may still succeed on a later
/// call (a provider outage outlasted the retries, or another worker holds a fresh claim): the caller (a
/// Durable activity) should be retried; the ledger makes the retry safe.
/// </summary>
public sealed record NoticeResult(IReadOnlyList<RecipientOutcome> Recipients)
{
    public bool RetryLater { get; init; }

    /// <summary>
    /// After a fallback step (SMS): the readers it could not reach either, whom the chain's next step (print) takes
    /// (docs/channels.md).
    /// </summary>
    public IReadOnlyList<NoticeRecipient> Unreachable { get; init; } = [];

    public int Count(EmailStatus status) => Recipients.Count(r => r.Status == status);
}
