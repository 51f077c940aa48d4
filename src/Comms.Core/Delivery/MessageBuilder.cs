using System.Text.Encodings.Web;
using Comms.Libraries;
using Comms.Preferences;
using Microsoft.Extensions.Options;

namespace Comms.Delivery;

/// <summary>Who a message is from and how several recipients of one notice are addressed.</summary>
public sealed class MessageBuilder(IOptions<EmailOptions> options, UnsubscribeLinks links)
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
            Headers = [AutoSubmitted],
        };

        // The stored copy starts from the renderer's redacted content (secrets "[hidden]") and gets masked links.
        var redacted = notice.Content.ForLog;
        var copyTemplate = template with { Subject = SingleLine(redacted.Subject), Html = redacted.Html, Text = redacted.Text };

        if (library.BccMultipleRecipients && recipients.Count > 1)
        {
            var bcc = template with
            {
                MessageKey = NoticeIds.MessageKey(recipients.Select(r => r.NoticeId)),
                Html = PlaceFooter(template.Html, string.Empty),
                To = [new Mailbox(library.FromAddress, from.DisplayName)],
                Bcc = [.. recipients.Select(r => r.To)],
            };

            // Its copy is the same message, with every Bcc address; the sender stores it once per recipient's notice,
            // each naming only that recipient (a reader's log row shows no other reader's address).
            var bccCopy = copyTemplate with { MessageKey = bcc.MessageKey, Html = PlaceFooter(copyTemplate.Html, string.Empty), To = bcc.To, Bcc = bcc.Bcc };
            return [new PlannedMessage(bcc, [.. recipients.Select(r => r.NoticeId)]) { Copy = bccCopy }];
        }
        return [.. recipients.Select(r =>
        {
            var email = WithLinks(library, notice, template with { MessageKey = r.NoticeId, To = [r.To] });
            var copy = WithLinks(library, notice, copyTemplate with { MessageKey = r.NoticeId, To = [r.To] }, masked: true);
            return new PlannedMessage(email, [r.NoticeId]) { Copy = copy };
        })];
    }

    /// <summary>The one paragraph the engine adds to a notice's HTML: the links HTML-encoded, unsubscribe only when optional.</summary>
    /// <param name="texts">The words in the notice's language (<see cref="PreferenceTexts.For"/>); English when null.</param>
    public static string FooterHtml(string? unsubscribe, string? manage, PreferenceTexts? texts = null)
    {
        texts ??= PreferenceTexts.English;
        var encoder = HtmlEncoder.Default;
        var stop = unsubscribe is null
            ? string.Empty
            : $"{encoder.Encode(texts.FooterUnsubscribeQuestion)} <a href=\"{encoder.Encode(unsubscribe)}\">{encoder.Encode(texts.FooterUnsubscribe)}</a>. ";
        var preferences = manage is null ? string.Empty : $"<a href=\"{encoder.Encode(manage)}\">{encoder.Encode(texts.FooterPreferences)}</a>";
        return $"<p style=\"font-size:small\">{stop.TrimEnd()}{(stop.Length > 0 && preferences.Length > 0 ? " " : string.Empty)}{preferences}</p>";
    }

    /// <summary>RFC 3834: every notice is machine-made, so auto-responders (out of office) stay quiet.</summary>
    public static readonly KeyValuePair<string, string> AutoSubmitted = new("Auto-Submitted", "auto-generated");

    /// <summary>
    /// A notice about one patron to one recipient gets, at the foot of the body, a signed link to the recipient's own
    /// preferences page; an optional one also a one-click unsubscribe link (RFC 8058) in the headers and the footer.
    /// A contact email listing several patrons (household, class, summary) carries the address's own self-service link
    /// (m2) and, when optional, its own unsubscribe link (c1), both for every patron it is a contact of. A test send or
    /// a message for several recipients (BCC) carries neither: there is no one reader's choice to show.
    /// </summary>
    /// <param name="masked">For the stored copy: the links are shown as "[hidden]", they are the reader's capabilities.</param>
    private OutgoingEmail WithLinks(Library library, Notice notice, OutgoingEmail email, bool masked = false)
    {
        var address = email.To[0].Address;
        if (notice.IsTest)
        {
            return email with { Html = PlaceFooter(email.Html, string.Empty) };
        }

        if (notice.PatronId is null)
        {
            if (!notice.IsContactDigest)
            {
                return WithFooter(email, notice, unsubscribe: null, manage: null, masked);
            }

            // The address's own links, for every patron it is a contact of: neither names a patron.
            var contact = links.ContactLinkFor(library, notice.Scenario.Scenario, address);
            var contactPage = links.ContactManageLinkFor(library.Id, address, notice.ReaderLanguage ?? notice.Language);
            return WithFooter(email, notice, contact, contactPage, masked);
        }

        if (links.ManageLinkFor(library.Id, notice.PatronId, address) is not { } manage)
        {
            return email with { Html = PlaceFooter(email.Html, string.Empty) };
        }

        return WithFooter(email, notice, links.LinkFor(library, notice.Scenario.Scenario, notice.PatronId, address), manage, masked);
    }

    private static OutgoingEmail WithFooter(OutgoingEmail email, Notice notice, string? unsubscribe, string? manage, bool masked)
    {
        if (unsubscribe is null && manage is null)
        {
            return email with { Html = PlaceFooter(email.Html, string.Empty) };
        }

        if (masked)
        {
            manage = manage is null ? null : MessageCopies.MessageCopyRedaction.Mask;
            unsubscribe = unsubscribe is null ? null : MessageCopies.MessageCopyRedaction.Mask;
        }

        // The footer speaks the language the template was written in, so it reads as part of the same email.
        var texts = PreferenceTexts.For(notice.Language).Texts;
        var html = FooterHtml(unsubscribe, manage, texts);
        var stop = unsubscribe is null ? string.Empty : $"{texts.FooterUnsubscribeQuestion} {texts.FooterUnsubscribe}: {unsubscribe}\n";
        var preferences = manage is null ? string.Empty : $"{texts.FooterPreferences}: {manage}\n";
        return email with
        {
            Headers = unsubscribe is null
                ? email.Headers
                : [.. email.Headers, new("List-Unsubscribe", $"<{unsubscribe}>"), new("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")],
            Text = $"{email.Text.TrimEnd()}\n\n--\n{stop}{preferences}",
            Html = PlaceFooter(email.Html, html),
        };
    }

    /// <summary>
    /// The engine's footer goes where a framed email marks it, inside the library's card (Layouts.EmailLayout), and the
    /// mark goes in every case; a whole-document template has none, so before &lt;/body&gt; (or at the end).
    /// </summary>
    public static string PlaceFooter(string html, string footer)
    {
        var marker = html.LastIndexOf(Layouts.EmailLayout.EngineFooterMarker, StringComparison.Ordinal);
        if (marker >= 0)
        {
            return string.Concat(html.AsSpan(0, marker), footer, html.AsSpan(marker + Layouts.EmailLayout.EngineFooterMarker.Length));
        }

        var end = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return footer.Length == 0 ? html : end < 0 ? html + footer : html.Insert(end, footer);
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
public sealed record PlannedMessage(OutgoingEmail Email, IReadOnlyList<string> NoticeIds)
{
    /// <summary>
    /// The message as staff may see it (docs/message-copies.md): secrets and the reader's links "[hidden]". For a
    /// message to several recipients in BCC (no reader's links), it lists every Bcc address; the sender stores one
    /// copy per notice, naming that notice's recipient only.
    /// </summary>
    public OutgoingEmail? Copy { get; init; }
}
