using System.Text.RegularExpressions;
using MimeKit;

namespace Comms.Delivery;

/// <summary>RFC 5322 text for a mailbox, with the display name quoted and encoded as MimeKit does.</summary>
public static partial class MailboxText
{
    /// <summary>
    /// "Name &lt;address&gt;" on one line. MimeKit folds long encoded names ("=?utf-8?b?...?=", a line break, a tab, then the address) as it
    /// would in a header; a provider's JSON field is not a header and SES refuses line breaks in it. Folding
    /// whitespace means one space (RFC 5322 3.2.2), and between encoded words it means nothing (RFC 2047 6.2),
    /// so unfolding keeps the name as it was.
    /// </summary>
    public static string Format(Mailbox mailbox)
    {
        if (string.IsNullOrWhiteSpace(mailbox.DisplayName))
        {
            return mailbox.Address;
        }

        var folded = new MailboxAddress(MessageBuilder.SingleLine(mailbox.DisplayName), mailbox.Address).ToString(FormatOptions.Default, encode: true);
        return FoldingWhitespace().Replace(folded, " ");
    }

    public static MailboxAddress ToMime(Mailbox mailbox) => new(mailbox.DisplayName ?? string.Empty, mailbox.Address);

    [GeneratedRegex(@"\r?\n[ \t]*")]
    private static partial Regex FoldingWhitespace();
}
