using Comms.Common;
using Comms.Delivery;
using Comms.Delivery.Providers;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Notices;
using Comms.Templates;
using Microsoft.Extensions.Logging;

namespace Comms.Sms;

/// <summary>
/// The SMS step of a library's chain, for the readers the email could not reach: the same ledger (the SMS has its own
/// notice id, the channel is part of it), so it goes once however often the notice is retried; the number's STOP honoured;
/// quiet hours in the library's time zone respected by handing the SMS to the outbox, due when they end; every attempt in
/// the email log with channel SMS.
/// </summary>
public sealed partial class SmsFallback(
    NoticeLedger ledger,
    EmailLogStore log,
    SmsProviders providers,
    SmsNumberStore numbers,
    Outbox.NoticeOutbox outbox,
    TemplateRenderer renderer,
    Texts.SmsTextService texts,
    TimeProvider clock,
    ILogger<SmsFallback> logger)
{
    /// <summary>
    /// Texts <paramref name="recipients"/> (those the email of <paramref name="notice"/> could not reach, or those a deferred
    /// SMS is for) and logs each attempt. RetryLater is set when the provider could not take a text now.
    /// </summary>
    public async Task<NoticeResult> SendAsync(
        Library library, NoticeRequest request, Notice notice, IReadOnlyList<NoticeRecipient> recipients, TemplateModel model, CancellationToken cancellationToken)
    {
        var run = new SmsRun(notice, clock);
        var deferredSmsOnly = request.SmsRecipientKeys is not null;
        var quietEnd = deferredSmsOnly ? null : library.SmsQuietHours.EndIfQuiet(library.TimeZone, clock.GetUtcNow());
        var provider = providers.Current;
        RenderedSms? text = null;
        Texts.ResolvedSmsText? source = null;
        var deferred = new List<string>();

        // The readers no text can reach (no number, SMS off, STOP, a permanent refusal): the chain's next step, print, takes them.
        var unreachable = new List<NoticeRecipient>();

        foreach (var recipient in recipients)
        {
            var key = NoticeIds.RecipientKey(recipient);
            var id = NoticeIds.For(notice, key, NoticeChannel.Sms);
            if (!PhoneNumber.IsValid(recipient.Phone))
            {
                // No number, no SMS attempt: the email row (NoContact, Suppressed…) already says why nothing went.
                unreachable.Add(recipient);
                continue;
            }

            if (provider is null)
            {
                run.Record(id, recipient, EmailStatus.Failed, "The chain falls back to SMS, but SMS is not configured (Comms:Sms:Provider is None).");
                unreachable.Add(recipient);
                continue;
            }

            if (await numbers.IsOptedOutAsync(recipient.Phone!, library.Id, cancellationToken))
            {
                run.Record(id, recipient, EmailStatus.Suppressed, "The number replied STOP: no texts from this library.");
                unreachable.Add(recipient);
                continue;
            }

            if (quietEnd is { } end)
            {
                deferred.Add(key);
                run.Record(id, recipient, EmailStatus.Skipped,
                    $"Quiet hours ({library.SmsQuietHours.Start:HH\\:mm}-{library.SmsQuietHours.End:HH\\:mm} library time): the SMS waits until {end:u}.");
                continue;
            }

            // The library's own text in the reader's language, else the shipped one; read once per notice, only when a text goes.
            source ??= await texts.ResolveAsync(library, notice.Scenario, notice.ReaderLanguage, cancellationToken);
            run.Template = source;
            try
            {
                text ??= SmsTemplates.Render(renderer, source.Text, model);
            }
            catch (TemplateRenderLimitException e)
            {
                run.Record(id, recipient, EmailStatus.Failed, e.Message);
                unreachable.Add(recipient);
                continue;
            }

            if (!await SendOneAsync(run, library, provider, id, recipient, text, cancellationToken))
            {
                unreachable.Add(recipient);
            }
        }

        if (deferred.Count > 0 && quietEnd is { } notBefore)
        {
            var queued = await outbox.EnqueueDeferredAsync(request with { SmsRecipientKeys = deferred, OutboxNoticeId = null }, notBefore, cancellationToken);
            LogDeferred(logger, queued.NoticeId, notBefore);
        }

        await log.AppendManyAsync(run.Entries, cancellationToken);
        return new NoticeResult(run.Outcomes) { RetryLater = run.RetryLater, Unreachable = unreachable };
    }

    /// <summary>Sends one text; false when the number is refused for good (now or by an earlier attempt).</summary>
    private async Task<bool> SendOneAsync(SmsRun run, Library library, ISmsProvider provider, string id, NoticeRecipient recipient, RenderedSms text, CancellationToken cancellationToken)
    {
        var providerName = SmsProviderNames.Logged(provider.Name);
        var now = clock.GetUtcNow();
        var existing = await ledger.TryClaimAsync(library.Id, id, providerName, now, cancellationToken: cancellationToken);
        switch (existing?.GetState())
        {
            case LedgerState.Sent:
                run.Record(id, recipient, EmailStatus.Skipped, $"Already sent by {existing.Provider} ({existing.ProviderMessageId}).", existing.Provider, existing.ProviderMessageId, alreadySent: true);
                return true;
            case LedgerState.Failed:
                run.Record(id, recipient, EmailStatus.Skipped, $"Already rejected permanently: {existing.Reason}", existing.Provider);
                return false;
        }

        // A claim left by a crashed attempt is sent again with the same repeatability id and first-sent time, which the
        // service answers as the request it already took (both SMS providers are idempotent this way), never a second text.
        var firstSent = existing?.ClaimedAt ?? now;
        var sms = new OutgoingSms(id, providers.From, recipient.Phone!, text.Text, AcsEmailProvider.OperationIdFor(id), firstSent, run.Notice.Scenario.ToString());
        var result = await provider.SendAsync(sms, cancellationToken);
        var settledAt = clock.GetUtcNow();
        switch (result.Outcome)
        {
            case ProviderOutcome.Accepted:
                await ledger.MarkSentAsync(library.Id, id, providerName, result.ProviderMessageId, settledAt, EmailLogStore.SentEntryId(id, settledAt), cancellationToken);
                await numbers.RecordSentAsync(recipient.Phone!, library.Id, settledAt, cancellationToken);
                run.Record(id, recipient, EmailStatus.Sent, null, providerName, result.ProviderMessageId, preview: text.ForLog, at: settledAt, entryId: EmailLogStore.SentEntryId(id, settledAt));
                break;
            case ProviderOutcome.Permanent:
                await ledger.MarkFailedAsync(library.Id, id, providerName, result.Reason, settledAt, cancellationToken);
                run.Record(id, recipient, EmailStatus.Failed, $"{result.Outcome}: {result.Reason}", providerName, preview: text.ForLog);
                break;
            default:
                // The claim stays: the service may have taken the text and lost its answer. The caller's retry (activity or
                // outbox) finds the claim and sends the same request again (same repeatability id and first-sent time),
                // which the service does not send twice.
                run.Record(id, recipient, EmailStatus.Failed, $"{result.Outcome}: {Redaction.Redact(result.Reason)} (retrying)", providerName, preview: text.ForLog);
                run.RetryLater = true;
                break;
        }

        return result.Outcome != ProviderOutcome.Permanent;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS fallback deferred to {NotBefore} by quiet hours (outbox notice {NoticeId}).")]
    private static partial void LogDeferred(ILogger logger, string noticeId, DateTimeOffset notBefore);

    /// <summary>The log rows and outcomes of one SMS step, written together at the end.</summary>
    private sealed class SmsRun(Notice notice, TimeProvider clock)
    {
        public Notice Notice { get; } = notice;
        public List<EmailLogEntry> Entries { get; } = [];
        public List<RecipientOutcome> Outcomes { get; } = [];
        public bool RetryLater { get; set; }

        /// <summary>The text rendered for this notice, named on the rows written after it was chosen.</summary>
        public Texts.ResolvedSmsText? Template { get; set; }

        public void Record(
            string id, NoticeRecipient recipient, EmailStatus status, string? reason, string? provider = null, string? providerMessageId = null,
            string? preview = null, DateTimeOffset? at = null, string? entryId = null, bool alreadySent = false)
        {
            var time = at ?? clock.GetUtcNow();
            Entries.Add(new EmailLogEntry
            {
                Id = entryId ?? EmailLogStore.NewId(time),
                Time = time,
                LibraryId = Notice.LibraryId,
                Scenario = Notice.Scenario.ToString(),
                TemplateId = Template?.TemplateId ?? Texts.SmsTextService.DefaultIdFor(Notice.Scenario),
                TemplateVersion = Template?.Version,
                NoticeId = id,
                SubjectRecordId = Notice.SubjectRecordId,
                Address = recipient.Phone,
                RecipientName = recipient.Name,
                Role = recipient.Role,
                PatronId = recipient.PatronId ?? Notice.PatronId,
                Subject = "SMS",
                Preview = preview is null ? null : preview.Length <= NoticeSender.PreviewLength ? preview : preview[..NoticeSender.PreviewLength] + "…",
                Channel = NoticeChannel.Sms,
                Provider = provider,
                ProviderMessageId = providerMessageId,
                Status = status,
                Reason = reason,
                OutboxNoticeId = Notice.OutboxNoticeId,
            });
            Outcomes.Add(new RecipientOutcome(id, status, reason, provider, providerMessageId, alreadySent) { Channel = NoticeChannel.Sms });
        }
    }
}
