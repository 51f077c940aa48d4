using Comms.Contacts;

namespace Comms.EmailLog;

public enum EmailStatus
{
    Sent,
    Suppressed,
    Failed,
    InvalidAddress,
    NoContact,
    Skipped,

    /// <summary>The provider reported delivery to the recipient's mail server (ACS delivery report).</summary>
    Delivered,

    /// <summary>The provider reported a hard bounce after accepting the message; the address is blacklisted.</summary>
    Bounced,

    /// <summary>
    /// The recipient marked the message as spam (an SES complaint); the address is blacklisted. Its own status, not a
    /// bounce: the mail arrived, and the library system hears "complained", which calls for a word with the reader
    /// rather than a corrected address.
    /// </summary>
    Complained,

    /// <summary>A printed notice waiting in the library's print batch (channel print, docs/channels.md).</summary>
    Queued,

    /// <summary>Staff confirmed that the print batch holding this notice was printed (channel print).</summary>
    Printed,
}

/// <summary>One attempt to send one notice to one recipient, as staff see it in the email log.</summary>
public sealed record EmailLogEntry
{
    public required string Id { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required string LibraryId { get; init; }
    public required string Scenario { get; init; }
    public string? TemplateId { get; init; }
    public int? TemplateVersion { get; init; }
    public required string NoticeId { get; init; }
    public string? SubjectRecordId { get; init; }
    /// <summary>The email address, for an SMS row the phone number (E.164) it went to, for a print row the postal address on one line.</summary>
    public string? Address { get; init; }
    public string? RecipientName { get; init; }
    public ContactRole? Role { get; init; }
    public string? PatronId { get; init; }
    public string? Subject { get; init; }

    /// <summary>The first characters of the text body; omitted for notices that carry a secret.</summary>
    public string? Preview { get; init; }

    /// <summary>Email, or SMS or print for the fallback (docs/channels.md); rows written before channels existed read as email.</summary>
    public Delivery.NoticeChannel Channel { get; init; } = Delivery.NoticeChannel.Email;

    public string? Provider { get; init; }
    public string? ProviderMessageId { get; init; }
    public required EmailStatus Status { get; init; }
    public string? Reason { get; init; }

    /// <summary>1 for the first try at a provider; retries and failover count up.</summary>
    public int Attempt { get; init; } = 1;

    public bool IsTest { get; init; }

    /// <summary>For an immediate notice, its outbox id: GET /api/libraries/{id}/notices/{outboxNoticeId} tells its status.</summary>
    public string? OutboxNoticeId { get; init; }

    /// <summary>
    /// Set when the patron was deleted: address, name, subject and preview are gone, the status row stays for
    /// audit (docs/retention.md).
    /// </summary>
    public DateTimeOffset? ErasedAt { get; init; }
}
