using MimeKit;

namespace Comms.Delivery;

/// <summary>RFC 5322 text for a mailbox, with the display name quoted and encoded as MimeKit does.</summary>
public static class MailboxText
{
    public static string Format(Mailbox mailbox) =>
        string.IsNullOrWhiteSpace(mailbox.DisplayName)
            ? mailbox.Address
            : new MailboxAddress(mailbox.DisplayName, mailbox.Address).ToString(FormatOptions.Default, encode: true);

    public static MailboxAddress ToMime(Mailbox mailbox) => new(mailbox.DisplayName ?? string.Empty, mailbox.Address);
}
