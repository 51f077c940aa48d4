using MimeKit;

namespace Comms.Delivery.Providers;

/// <summary>The MIME form of an <see cref="OutgoingEmail"/>: multipart/alternative text + HTML.</summary>
public static class MimeMessages
{
    public const string MessageIdDomain = "comms.notices";

    public static MimeMessage Create(OutgoingEmail email, DateTimeOffset date)
    {
        var message = new MimeMessage
        {
            Subject = email.Subject,
            Date = date,

            // Derived from the notice ids, so a re-send after a crash carries the same Message-ID and
            // receiving systems that collapse duplicates by Message-ID show it once.
            MessageId = $"{email.MessageKey}@{MessageIdDomain}",
        };
        message.From.Add(MailboxText.ToMime(email.From));
        if (email.ReplyTo is not null)
        {
            message.ReplyTo.Add(MailboxText.ToMime(email.ReplyTo));
        }

        message.To.AddRange(email.To.Select(MailboxText.ToMime));
        message.Bcc.AddRange(email.Bcc.Select(MailboxText.ToMime));
        foreach (var (name, value) in email.Tags)
        {
            message.Headers.Add("X-Comms-" + name, value);
        }

        foreach (var (name, value) in email.Headers)
        {
            message.Headers.Add(name, value);
        }

        message.Body = new BodyBuilder { TextBody = email.Text, HtmlBody = email.Html }.ToMessageBody();
        return message;
    }
}
