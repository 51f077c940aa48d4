using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Comms.Common;

namespace Comms.Delivery;

/// <summary>
/// Deterministic ids: the same (library, scenario and level, subject record, recipient, scheduled date)
/// always gives the same notice id, whoever computes it and however often.
/// </summary>
public static class NoticeIds
{
    /// <summary>Lower-case hex SHA-256 of the notice's identity; safe as a table key and a file name.</summary>
    public static string For(Notice notice, string recipientKey) => Hash(string.Join('\n',
        "notice-v1",
        notice.LibraryId,
        notice.Scenario.ToString(),
        notice.Scenario.Level.ToString(CultureInfo.InvariantCulture),
        notice.SubjectRecordId,
        recipientKey,
        notice.ScheduledFor.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    /// <summary>
    /// The id of the notice on another channel than email (an SMS fallback): the email id's identity plus the channel, so
    /// the same ledger holds both and each goes once. Email ids stay as they always were.
    /// </summary>
    public static string For(Notice notice, string recipientKey, NoticeChannel channel) =>
        channel == NoticeChannel.Email ? For(notice, recipientKey) : Hash(For(notice, recipientKey) + "\nchannel:" + channel.ToString().ToLowerInvariant());

    /// <summary>The recipient part of the identity: the address key, or the contact when there is no usable address.</summary>
    public static string RecipientKey(NoticeRecipient recipient) =>
        EmailAddress.TryNormalize(recipient.Email, out var normalized)
            ? EmailAddress.Key(normalized)
            : $"contact:{recipient.PatronId}:{recipient.Role}:{recipient.Name}:{recipient.Email}";

    /// <summary>The key of one message carrying several notices (BCC): stable for the same set of notices.</summary>
    public static string MessageKey(IEnumerable<string> noticeIds)
    {
        var ids = noticeIds.Order(StringComparer.Ordinal).ToArray();
        return ids.Length == 1 ? ids[0] : Hash("message-v1\n" + string.Join('\n', ids));
    }

    /// <summary>A short one-way tag for telemetry, so a log line can be correlated without holding an address.</summary>
    public static string Pseudonym(string value) => Hash("pseudonym-v1\n" + value)[..16];

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
