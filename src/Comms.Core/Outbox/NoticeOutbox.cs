using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Comms.Common;
using Comms.Notices;
using Microsoft.Extensions.Options;

namespace Comms.Outbox;

/// <summary>
/// Takes an immediate notice off the request path: records it durably (encrypted), queues its first attempt
/// and answers at once. <see cref="OutboxDelivery"/> sends it in the background, retrying while the scenario
/// allows. The id is derived from what the notice is, so a repeated request answers the same notice.
/// </summary>
public sealed class NoticeOutbox(OutboxStore store, OutboxQueue queue, NoticeProtector protector, IOptions<OutboxOptions> options, TimeProvider clock)
{
    public async Task<QueuedNotice> EnqueueAsync(NoticeRequest request, CancellationToken cancellationToken = default)
    {
        // Refused here with a 400 rather than failed later in the background.
        NoticeLimits.Check(request);
        return await EnqueueAsync(request, IdOf(request), resendOf: null, cancellationToken);
    }

    /// <summary>Queues several notices of one request (a manual send to many patrons), each with its own id.</summary>
    public async Task<IReadOnlyList<QueuedNotice>> EnqueueManyAsync(IReadOnlyList<NoticeRequest> requests, CancellationToken cancellationToken = default)
    {
        foreach (var request in requests)
        {
            NoticeLimits.Check(request);
        }

        var queued = new List<QueuedNotice>(requests.Count);
        foreach (var chunk in requests.Chunk(16))
        {
            queued.AddRange(await Task.WhenAll(chunk.Select(r => EnqueueAsync(r, IdOf(r), resendOf: null, cancellationToken))));
        }

        return queued;
    }

    /// <summary>
    /// Queues a notice that may not be attempted before <paramref name="notBefore"/>: an SMS held back by the library's
    /// quiet hours. The queue message is invisible until then (the queue's own timer); the id is derived from the request,
    /// so the same deferral asked for again (a retried activity) is the same notice.
    /// </summary>
    public Task<QueuedNotice> EnqueueDeferredAsync(NoticeRequest request, DateTimeOffset notBefore, CancellationToken cancellationToken = default)
    {
        var id = "n" + Hash("deferred-v1\n" + IdOf(request) + "\n" + string.Join('\n', request.SmsRecipientKeys ?? []));
        return EnqueueAsync(request, id, resendOf: null, cancellationToken, notBefore);
    }

    internal async Task<QueuedNotice> EnqueueAsync(NoticeRequest request, string noticeId, string? resendOf, CancellationToken cancellationToken, DateTimeOffset? notBefore = null)
    {
        var now = clock.GetUtcNow();
        var delay = notBefore is { } due && due > now ? due - now : TimeSpan.Zero;
        var stored = request with { OutboxNoticeId = noticeId };
        var notice = new OutboxNotice
        {
            Id = noticeId,
            LibraryId = request.LibraryId,
            Scenario = request.Scenario.ToString(),
            SubjectRecordId = request.SubjectRecordId,
            PatronId = request.PatronId,
            SupplierId = request.SupplierId,
            State = NoticeState.Queued,
            CreatedAt = now,
            UpdatedAt = now,
            GiveUpAt = GiveUpAt(request, now + delay),
            NextAttemptAt = delay > TimeSpan.Zero ? now + delay : null,
            ResendOf = resendOf,
            ProtectedRequest = protector.Protect(ProtectionContext(request.LibraryId, noticeId), JsonSerializer.Serialize(stored, OutboxJson.Options)),
        };

        if (!await store.TryInsertAsync(notice, cancellationToken))
        {
            var existing = await store.GetAsync(request.LibraryId, noticeId, cancellationToken)
                ?? throw new ConflictException($"Notice '{noticeId}' is being recorded by another request; retry.");

            // Queued and never attempted: the first request may have died between its two writes, so queue it
            // again (a second message is harmless: an attempt runs only on a notice that is due), for when it is due
            // (a held SMS's end of quiet hours).
            if (existing.Notice.State == NoticeState.Queued && existing.Notice.Attempts.Count == 0)
            {
                var wait = existing.Notice.NextAttemptAt is { } next && next > now ? next - now : TimeSpan.Zero;
                await queue.SendAsync(new OutboxMessage(request.LibraryId, noticeId), wait, cancellationToken);
            }

            return QueuedNotice.Of(existing.Notice);
        }

        await queue.SendAsync(new OutboxMessage(request.LibraryId, noticeId), delay, cancellationToken);
        return QueuedNotice.Of(notice);
    }

    /// <summary>
    /// A reset link is worth sending only while it works: attempts stop <see cref="OutboxOptions.MinLinkValidity"/>
    /// before it expires. Everything else is retried for <see cref="OutboxOptions.GiveUpAfter"/>.
    /// </summary>
    private DateTimeOffset GiveUpAt(NoticeRequest request, DateTimeOffset now) =>
        request.PasswordReset is { } reset ? reset.ExpiresAt - options.Value.MinLinkValidity : now + options.Value.GiveUpAfter;

    /// <summary>"n" + 24 hex digits of what the notice is: library, scenario, record, date, revision and addressee.</summary>
    public static string IdOf(NoticeRequest request) => "n" + Hash(string.Join('\n',
        "outbox-v1",
        request.LibraryId,
        request.Scenario.ToString(),
        request.SubjectRecordId,
        request.ScheduledFor.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        request.Revision.ToString(CultureInfo.InvariantCulture),
        request.PatronId ?? string.Empty,
        request.SupplierId ?? string.Empty,
        request.TemplateId ?? string.Empty));

    internal static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];

    /// <summary>Binds the ciphertext to its row: a copy pasted onto another notice or library does not decrypt.</summary>
    internal static string ProtectionContext(string libraryId, string noticeId) => libraryId + "/" + noticeId;
}
