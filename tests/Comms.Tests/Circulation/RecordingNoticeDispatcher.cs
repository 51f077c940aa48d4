using System.Collections.Concurrent;
using Comms.Notices;

namespace Comms.Tests.Circulation;

/// <summary>Stands in for the real dispatcher: records every request so tests count emails per patron and step.</summary>
public sealed class RecordingNoticeDispatcher : INoticeDispatcher
{
    private readonly ConcurrentQueue<NoticeRequest> _requests = new();

    public Task<NoticeDispatchResult> DispatchAsync(NoticeRequest request, CancellationToken cancellationToken = default)
    {
        _requests.Enqueue(request);
        return Task.FromResult(new NoticeDispatchResult(1, 0, 0, 0, 0));
    }

    public IReadOnlyList<NoticeRequest> For(string libraryId) => [.. _requests.Where(r => r.LibraryId == libraryId)];
}
