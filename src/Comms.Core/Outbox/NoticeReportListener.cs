using System.Text.Json;
using Comms.EmailLog;

namespace Comms.Outbox;

/// <summary>
/// Carries a provider's report about one recipient onto the notice it belongs to: the recipient's status, an
/// attempt row saying what the provider reported, and the notice's state (delivered, bounced, complained, failed,
/// suppressed) once the report is worse than or after "sent".
/// </summary>
public sealed class NoticeReportListener(OutboxStore store, OutboxEvents events, TimeProvider clock) : IEmailReportListener
{
    public async Task ReportedAsync(EmailLogEntry entry, CancellationToken cancellationToken = default)
    {
        if (entry.OutboxNoticeId is not { } noticeId)
        {
            return;
        }

        var reported = StateOf(entry);
        if (reported is null)
        {
            return;
        }

        for (var race = 0; race < 5; race++)
        {
            if (await store.GetAsync(entry.LibraryId, noticeId, cancellationToken) is not var (notice, etag))
            {
                return;
            }

            var now = clock.GetUtcNow();
            var status = JsonNamingPolicy.CamelCase.ConvertName(reported.Value.ToString());
            var number = notice.Attempts.Select(a => a.Number).DefaultIfEmpty(1).Max();
            var updated = notice with
            {
                // A bad report about any recipient is what the library system must hear; "delivered" only moves a sent notice on.
                State = reported == NoticeState.Delivered && notice.State != NoticeState.Sent ? notice.State : reported.Value,
                Reason = reported == NoticeState.Delivered ? notice.Reason : entry.Reason,
                UpdatedAt = now,
                Attempts = [.. notice.Attempts, new NoticeAttempt(number, now, status, entry.Provider, entry.Reason, entry.NoticeId)],
                Recipients = [.. notice.Recipients.Select(r => r.LedgerId == entry.NoticeId ? r with { Status = status, Reason = entry.Reason, At = now } : r)],
            };
            if (await store.TryReplaceAsync(updated, etag, cancellationToken))
            {
                await events.FinalAsync(updated, cancellationToken);
                return;
            }
        }
    }

    private static NoticeState? StateOf(EmailLogEntry entry) => entry.Status switch
    {
        EmailStatus.Delivered => NoticeState.Delivered,
        EmailStatus.Bounced => NoticeState.Bounced,
        EmailStatus.Complained => NoticeState.Complained,
        EmailStatus.Suppressed => NoticeState.Suppressed,
        EmailStatus.Failed => NoticeState.Failed,
        _ => null,
    };
}
