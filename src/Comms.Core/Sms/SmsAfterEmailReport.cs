using System.Text.Json;
using Comms.Common;
using Comms.Delivery;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Notices;
using Comms.Outbox;
using Comms.Scenarios;
using Microsoft.Extensions.Logging;

namespace Comms.Sms;

/// <summary>
/// A bounce (or suppression, or failure) a provider reports after it accepted an email: when the notice is an outbox
/// notice (its data is kept, encrypted) and the library's chain goes on to SMS, that reader is texted the same notice,
/// through a deferred SMS-only outbox notice due now (or when quiet hours end). Ladder notices keep no data after the
/// send; their reader moves to SMS from the next notice on, the address being blacklisted by the same report.
/// </summary>
public sealed partial class SmsAfterEmailReport(
    OutboxStore store,
    NoticeProtector protector,
    NoticeOutbox outbox,
    LibraryStore libraries,
    TimeProvider clock,
    ILogger<SmsAfterEmailReport> logger) : IEmailReportListener
{
    public async Task ReportedAsync(EmailLogEntry entry, CancellationToken cancellationToken = default)
    {
        if (entry.Channel != NoticeChannel.Email || entry.Status is not (EmailStatus.Bounced or EmailStatus.Suppressed or EmailStatus.Failed)
            || entry.OutboxNoticeId is not { } outboxId || !EmailAddress.TryNormalize(entry.Address, out var address)
            || !ScenarioKey.TryParse(entry.Scenario, out var key))
        {
            return;
        }

        var library = await libraries.GetForSendingAsync(entry.LibraryId, cancellationToken);
        if (library is null || !ChannelChain.FallsBackToSms(library, key.Scenario)
            || await store.GetAsync(entry.LibraryId, outboxId, cancellationToken) is not var (notice, _) || notice.ProtectedRequest is not { } sealedRequest)
        {
            return;
        }

        var json = protector.Unprotect(NoticeOutbox.ProtectionContext(notice.LibraryId, notice.Id), sealedRequest);
        var request = json is null ? null : JsonSerializer.Deserialize<NoticeRequest>(json, OutboxJson.Options);
        if (request is null || request.SmsRecipientKeys is not null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var due = library.SmsQuietHours.EndIfQuiet(library.TimeZone, now) ?? now;
        var queued = await outbox.EnqueueDeferredAsync(request with { SmsRecipientKeys = [EmailAddress.Key(address)], OutboxNoticeId = null }, due, cancellationToken);
        LogQueued(logger, entry.Status, outboxId, queued.NoticeId, due);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email of notice {OutboxNoticeId} reported {Status}: SMS queued as {SmsNoticeId} for {Due}.")]
    private static partial void LogQueued(ILogger logger, EmailStatus status, string outboxNoticeId, string smsNoticeId, DateTimeOffset due);
}
