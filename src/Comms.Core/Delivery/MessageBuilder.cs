using Comms.Libraries;
using Microsoft.Extensions.Options;

namespace Comms.Delivery;

/// <summary>Who a message is from and how several recipients of one notice are addressed.</summary>
public sealed class MessageBuilder(IOptions<EmailOptions> options)
{
    /// <summary>
    /// The library's own address when the provider has verified it; otherwise the platform sender with the
    /// library's name, and the library as Reply-To, so replies still reach the desk.
    /// </summary>
    public (Mailbox From, Mailbox? ReplyTo) SenderFor(Library library)
    {
        var name = SingleLine(library.Name);
        var libraryMailbox = new Mailbox(library.FromAddress, name);
        return library.FromAddressVerified
            ? (libraryMailbox, null)
            : (new Mailbox(options.Value.PlatformSender, name), libraryMailbox);
    }

    /// <summary>
    /// One message per recipient, or, when the library asks for BCC and there are several, one message to the
    /// library's own address with everyone in BCC (recipients do not see each other).
    /// </summary>
    public IReadOnlyList<PlannedMessage> Build(Library library, Notice notice, IReadOnlyList<(string NoticeId, Mailbox To)> recipients)
    {
        var (from, replyTo) = SenderFor(library);
        var template = new OutgoingEmail
        {
            MessageKey = string.Empty,
            From = from,
            ReplyTo = replyTo,
            Subject = SingleLine(notice.Content.Subject),
            Html = notice.Content.Html,
            Text = notice.Content.Text,
            Tags = Tags(notice),
        };

        if (library.BccMultipleRecipients && recipients.Count > 1)
        {
            var email = template with
            {
                MessageKey = NoticeIds.MessageKey(recipients.Select(r => r.NoticeId)),
                To = [new Mailbox(library.FromAddress, from.DisplayName)],
                Bcc = [.. recipients.Select(r => r.To)],
            };
            return [new PlannedMessage(email, [.. recipients.Select(r => r.NoticeId)])];
        }

        return [.. recipients.Select(r => new PlannedMessage(template with { MessageKey = r.NoticeId, To = [r.To] }, [r.NoticeId]))];
    }

    /// <summary>
    /// "test" for a template test send, else the scenario: provider reports (SES tags, ACS headers, SMTP and
    /// pickup X-Comms headers) and metrics then never count a test as a real overdue notice.
    /// </summary>
    public static string ReportingScenario(Notice notice) => notice.IsTest ? "test" : notice.Scenario.ToString();

    private static Dictionary<string, string> Tags(Notice notice)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["library"] = notice.LibraryId,
            ["scenario"] = ReportingScenario(notice),
        };
        if (notice.IsTest)
        {
            tags["tested-scenario"] = notice.Scenario.ToString();
        }

        return tags;
    }

    /// <summary>Subjects are one header line: a CR or LF from a template must not start a new header.</summary>
    public static string SingleLine(string value) =>
        string.Join(' ', value.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Trim();
}

/// <summary>A message and the notices (one per recipient) it delivers.</summary>
public sealed record PlannedMessage(OutgoingEmail Email, IReadOnlyList<string> NoticeIds);
