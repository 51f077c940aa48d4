using System.Text.RegularExpressions;
using Comms.Common;

namespace Comms.MessageCopies;

/// <summary>Answers staff with the redacted copy of one recipient's notice, read from the library's own copies only.</summary>
public sealed partial class MessageCopyService(MessageCopyStore store)
{
    /// <summary>The copy; 400 for an id that is not a notice id, 404 when no copy is kept (older than the feature, expired, erased, BCC).</summary>
    public async Task<MessageCopy> GetAsync(string libraryId, string noticeId, CancellationToken cancellationToken = default)
    {
        // Notice ids are SHA-256 hex (Delivery.NoticeIds); anything else never reaches a blob name.
        if (!NoticeIdShape().IsMatch(noticeId))
        {
            throw RequestValidationException.For("noticeId", "A notice id is 64 lower-case hexadecimal characters, as on the email log row.");
        }

        return await store.GetAsync(libraryId, noticeId, cancellationToken)
            ?? throw new NotFoundException("No copy of this message is kept: it was sent before copies were stored, its copy has expired (Comms:Retention:MessageCopyDays), or it went to several recipients in BCC.");
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex NoticeIdShape();
}
