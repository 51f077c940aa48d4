using System.Collections.Concurrent;
using Comms.Notices;

namespace Comms.Tests.Infrastructure;

/// <summary>
/// Records what a feature asked the dispatcher to send, for tests of the feature's own rules
/// (validation, idempotency, throttling). End-to-end tests use the real dispatcher instead.
/// </summary>
public sealed class RecordingNoticeDispatcher : INoticeDispatcher
{
    public ConcurrentQueue<NoticeRequest> Requests { get; } = new();

    /// <summary>What the dispatcher answers for a library's requests; one Sent when none is set.</summary>
    public ConcurrentDictionary<string, NoticeDispatchResult> Answers { get; } = new(StringComparer.Ordinal);

    public Task<NoticeDispatchResult> DispatchAsync(NoticeRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Enqueue(request);
        return Task.FromResult(Answers.GetValueOrDefault(request.LibraryId) ?? new NoticeDispatchResult(1, 0, 0, 0, 0));
    }

    public IReadOnlyList<NoticeRequest> For(string libraryId) => [.. Requests.Where(r => r.LibraryId == libraryId)];
}
