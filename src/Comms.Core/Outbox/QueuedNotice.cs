namespace Comms.Outbox;

/// <summary>
/// What every call that queues a notice answers: its id, where it stands now and where to follow it
/// (GET <see cref="Href"/>). The library system keeps the id; a repeated request answers the same notice.
/// </summary>
public sealed record QueuedNotice(string NoticeId, NoticeState Status, string Href)
{
    public static QueuedNotice Of(OutboxNotice notice) => new(notice.Id, notice.State, NoticeLinks.Status(notice.LibraryId, notice.Id));
}

public static class NoticeLinks
{
    public static string Status(string libraryId, string noticeId) => $"/api/libraries/{libraryId}/notices/{noticeId}";
}
