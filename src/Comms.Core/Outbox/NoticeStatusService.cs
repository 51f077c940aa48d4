using System.Globalization;
using System.Text.Json;
using Comms.Common;
using Comms.Notices;
using Comms.Scenarios;

namespace Comms.Outbox;

/// <summary>What staff and the library system do with a notice after it was queued: read it, cancel it, resend it.</summary>
public sealed class NoticeStatusService(OutboxStore store, NoticeOutbox outbox, NoticeProtector protector, TimeProvider clock)
{
    public async Task<NoticeStatusView> GetAsync(string libraryId, string noticeId, CancellationToken cancellationToken = default) =>
        NoticeStatusView.Of((await FindAsync(libraryId, noticeId, cancellationToken)).Notice);

    /// <summary>Cancels a queued notice; one already being sent or finished is a 409 naming its state.</summary>
    public async Task<NoticeStatusView> CancelAsync(string libraryId, string noticeId, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var (notice, etag) = await FindAsync(libraryId, noticeId, cancellationToken);
            if (notice.State == NoticeState.Cancelled)
            {
                return NoticeStatusView.Of(notice);
            }

            if (notice.State != NoticeState.Queued)
            {
                throw new ConflictException($"Notice '{noticeId}' is {Name(notice.State)}; only a queued notice can be cancelled.");
            }

            var cancelled = notice with
            {
                State = NoticeState.Cancelled,
                Reason = "Cancelled by staff before it was sent.",
                UpdatedAt = clock.GetUtcNow(),
                NextAttemptAt = null,
                ProtectedRequest = null,
            };
            if (await store.TryReplaceAsync(cancelled, etag, cancellationToken))
            {
                return NoticeStatusView.Of(cancelled);
            }
        }
    }

    /// <summary>
    /// Queues a new notice linked to the original, re-rendered from the library's current template with the
    /// original's data (the template may have been fixed since), under a new ledger id so it really goes again.
    /// A reset link is never resent: it may have been used or expired; the library system asks for a new one.
    /// </summary>
    public async Task<QueuedNotice> ResendAsync(string libraryId, string noticeId, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var (original, etag) = await FindAsync(libraryId, noticeId, cancellationToken);
            if (original.Scenario == ScenarioKey.Kebab(Scenario.PasswordReset))
            {
                throw new ConflictException("A password reset is never resent: its link may be used or expired. Ask the library system to send a new one.");
            }

            if (!original.State.CanResend())
            {
                throw new ConflictException($"Notice '{noticeId}' is {Name(original.State)}; only a sent, delivered, failed or expired notice can be resent.");
            }

            var json = original.ProtectedRequest is { } p ? protector.Unprotect(NoticeOutbox.ProtectionContext(libraryId, noticeId), p) : null;
            var request = json is null ? null : JsonSerializer.Deserialize<NoticeRequest>(json, OutboxJson.Options);
            if (request is null)
            {
                throw new ConflictException($"Notice '{noticeId}' no longer holds its data, so it cannot be resent.");
            }

            // Count first, with the original's ETag: two clicks at once make two distinct resends, never one id twice.
            var number = original.Resends.Count + 1;
            var resendId = "n" + NoticeOutbox.Hash($"resend-v1\n{libraryId}\n{noticeId}\n{number.ToString(CultureInfo.InvariantCulture)}");
            if (!await store.TryReplaceAsync(original with { Resends = [.. original.Resends, resendId] }, etag, cancellationToken))
            {
                continue;
            }

            var again = request with { SubjectRecordId = $"{request.SubjectRecordId}~resend{number.ToString(CultureInfo.InvariantCulture)}" };
            return await outbox.EnqueueAsync(again, resendId, resendOf: noticeId, cancellationToken);
        }
    }

    private async Task<(OutboxNotice Notice, Azure.ETag ETag)> FindAsync(string libraryId, string noticeId, CancellationToken cancellationToken) =>
        await store.GetAsync(libraryId, noticeId, cancellationToken) ?? throw new NotFoundException($"Notice '{noticeId}' does not exist in library '{libraryId}'.");

    private static string Name(NoticeState state) => JsonNamingPolicy.CamelCase.ConvertName(state.ToString());
}
