using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Comms.Webhooks;
using Microsoft.Extensions.Logging;

namespace Comms.Outbox;

/// <summary>
/// Turns a notice's reportable states (delivered, bounced, complained, failed, suppressed) into status events for
/// the library's webhook, when it registered one. Only queues the event: it never waits on the library system, and
/// a failure here is logged, never passed on, so it can neither block nor fail the delivery that caused it.
/// </summary>
public sealed partial class OutboxEvents(WebhookStore webhooks, WebhookQueue queue, TimeProvider clock, ILogger<OutboxEvents> logger)
{
    public const string TypePrefix = "org.library.comms.notice.";

    public async Task FinalAsync(OutboxNotice notice, CancellationToken cancellationToken = default)
    {
        if (notice.State is not (NoticeState.Delivered or NoticeState.Bounced or NoticeState.Complained or NoticeState.Failed or NoticeState.Suppressed))
        {
            return;
        }

        try
        {
            if (await webhooks.GetAsync(notice.LibraryId, cancellationToken) is null)
            {
                return;
            }

            var status = JsonNamingPolicy.CamelCase.ConvertName(notice.State.ToString());
            var now = clock.GetUtcNow();
            var data = new NoticeEventData(notice.Id, notice.Scenario, status, notice.Reason, notice.PatronId, notice.SupplierId, notice.Recipients, NoticeLinks.Status(notice.LibraryId, notice.Id));
            await queue.SendAsync(new WebhookEvent(EventId(notice, status), notice.LibraryId, TypePrefix + status, notice.Id, now, data, now), TimeSpan.Zero, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotQueued(notice.Id, e.Message);
        }
    }

    /// <summary>
    /// Stable per notice, status and recipient states: a repeat of the same transition (a retried report, a replayed
    /// attempt) makes the same id, which the library system can drop; a new report about another recipient is new.
    /// </summary>
    private static string EventId(OutboxNotice notice, string status) =>
        "evt_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{notice.LibraryId}\n{notice.Id}\n{status}\n{string.Join(",", notice.Recipients.Select(r => r.LedgerId + "=" + r.Status).Order(StringComparer.Ordinal))}")))[..32];

    [LoggerMessage(Level = LogLevel.Warning, Message = "The status event of notice {NoticeId} could not be queued: {Error}")]
    private partial void LogNotQueued(string noticeId, string error);
}
