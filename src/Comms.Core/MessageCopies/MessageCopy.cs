namespace Comms.MessageCopies;

/// <summary>
/// What staff see of a sent message (docs/message-copies.md): the subject, HTML, text and headers as the recipient got
/// them, with every secret replaced by <see cref="MessageCopyRedaction.Mask"/> before it is stored.
/// </summary>
public sealed record MessageCopy
{
    public required string LibraryId { get; init; }

    /// <summary>The recipient's notice id, as on the email log row.</summary>
    public required string NoticeId { get; init; }
    public required string Scenario { get; init; }
    public string? PatronId { get; init; }
    public DateTimeOffset SentAt { get; init; }
    public required string Subject { get; init; }
    public required string Html { get; init; }
    public required string Text { get; init; }
    public IReadOnlyList<MessageHeader> Headers { get; init; } = [];
}

public sealed record MessageHeader(string Name, string Value);

/// <summary>Builds the stored copy from the builder's redacted message.</summary>
public static class MessageCopies
{
    public static MessageCopy From(Delivery.OutgoingEmail copy, string libraryId, string noticeId, string scenario, string? patronId, DateTimeOffset sentAt)
    {
        var headers = new List<MessageHeader> { new("From", Mailbox(copy.From)) };
        if (copy.ReplyTo is { } replyTo)
        {
            headers.Add(new("Reply-To", Mailbox(replyTo)));
        }

        headers.Add(new("To", string.Join(", ", copy.To.Select(Mailbox))));
        if (copy.Bcc.Count > 0)
        {
            // A BCC message's copy names the one recipient whose notice it is kept for (NoticeSender).
            headers.Add(new("Bcc", string.Join(", ", copy.Bcc.Select(Mailbox))));
        }

        headers.Add(new("Subject", copy.Subject));
        headers.AddRange(copy.Headers.Select(h => new MessageHeader(h.Key, MessageCopyRedaction.Scrub(h.Value))));
        return new MessageCopy
        {
            LibraryId = libraryId,
            NoticeId = noticeId,
            Scenario = scenario,
            PatronId = patronId,
            SentAt = sentAt,
            Subject = MessageCopyRedaction.Scrub(copy.Subject),
            Html = MessageCopyRedaction.Scrub(copy.Html),
            Text = MessageCopyRedaction.Scrub(copy.Text),
            Headers = headers,
        };
    }

    private static string Mailbox(Delivery.Mailbox m) => m.DisplayName is { Length: > 0 } name ? $"{name} <{m.Address}>" : m.Address;
}
