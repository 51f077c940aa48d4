namespace Comms.Delivery;

/// <summary>An address with an optional display name, already normalised.</summary>
public sealed record Mailbox(string Address, string? DisplayName = null);

/// <summary>
/// One message as a provider sends it. <see cref="MessageKey"/> is derived from the notice ids it carries,
/// so a repeat of the same send produces the same key (ACS Operation-Id, pickup file name, Message-ID).
/// </summary>
public sealed record OutgoingEmail
{
    public required string MessageKey { get; init; }
    public required Mailbox From { get; init; }
    public Mailbox? ReplyTo { get; init; }
    public IReadOnlyList<Mailbox> To { get; init; } = [];
    public IReadOnlyList<Mailbox> Bcc { get; init; } = [];
    public required string Subject { get; init; }
    public required string Html { get; init; }
    public required string Text { get; init; }

    /// <summary>Provider tags for reporting (SES EmailTags): library and scenario, never personal data.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Standard headers every provider must carry as they are: <c>Auto-Submitted</c> on every notice, and on an
    /// optional notice to one recipient <c>List-Unsubscribe</c> + <c>List-Unsubscribe-Post</c> (RFC 8058). The
    /// unsubscribe link is a capability: this is the only place besides the body it is written to, never a log.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public int RecipientCount => To.Count + Bcc.Count;
}
