using Comms.Common;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Suppression;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Comms.Delivery;

/// <summary>
/// The delivery pipeline for one notice: check every recipient (address, blacklist), claim each recipient's
/// notice in the ledger, build the messages, send through the library's provider with retries and failover,
/// record the outcome in the ledger and every attempt in the email log.
/// </summary>
public sealed partial class NoticeSender(
    LibraryStore libraries,
    BlacklistStore blacklist,
    NoticeLedger ledger,
    EmailLogStore log,
    EmailProviders providers,
    ProviderAttempts attempts,
    MessageBuilder builder,
    DeliveryMetrics metrics,
    MessageCopies.MessageCopyStore copies,
    IOptions<EmailOptions> options,
    TimeProvider clock,
    ILogger<NoticeSender> logger)
{
    public const int PreviewLength = 200;

    public async Task<NoticeResult> SendAsync(Notice notice, CancellationToken cancellationToken = default)
    {
        var library = await libraries.GetForSendingAsync(notice.LibraryId, cancellationToken)
            ?? throw new NotFoundException($"Library '{notice.LibraryId}' was not found.");
        var run = new Run(notice, clock);
        await using var claims = new HeldClaims(ledger, clock, logger, notice.LibraryId, TimeSpan.FromSeconds(options.Value.ClaimLeaseSeconds));
        var primary = providers.PrimaryFor(library);
        var claimed = new List<(string Provider, string NoticeId, Mailbox To, NoticeRecipient Recipient)>();

        foreach (var recipient in notice.Recipients)
        {
            var noticeId = NoticeIds.For(notice, NoticeIds.RecipientKey(recipient));
            if (notice.SkipReason is { } skip)
            {
                run.Record(noticeId, recipient, EmailStatus.Skipped, skip);
                continue;
            }

            if (notice.FailReason is { } failure)
            {
                run.Record(noticeId, recipient, EmailStatus.Failed, failure);
                continue;
            }

            var claim = await CheckAndClaimAsync(run, claims, recipient, noticeId, primary, cancellationToken);
            if (claim is { } provider)
            {
                var address = EmailAddress.TryNormalize(recipient.Email, out var normalized) ? normalized : recipient.Email!;
                claimed.Add((provider, noticeId, new Mailbox(address, MessageBuilder.SingleLine(recipient.Name)), recipient));
            }
        }

        // From here until the last outcome is written this attempt renews its claims, so being slow never lets
        // another attempt take them over and send as well.
        claims.KeepAlive();
        foreach (var group in claimed.GroupBy(c => c.Provider, StringComparer.Ordinal))
        {
            var recipients = group.ToDictionary(c => c.NoticeId, c => c.Recipient, StringComparer.Ordinal);
            foreach (var message in builder.Build(library, notice, [.. group.Select(c => (c.NoticeId, c.To))]))
            {
                await DeliverAsync(run, claims, library, group.Key, message, recipients, cancellationToken);
            }
        }

        var logged = log.AppendManyAsync(run.Entries, cancellationToken);
        await Task.WhenAll(run.CopyUploads);
        run.YieldTo(await logged);
        return new NoticeResult(run.Outcomes) { RetryLater = run.RetryLater };
    }

    /// <summary>Returns the provider to send through, or null when this recipient gets nothing (logged why).</summary>
    private async Task<string?> CheckAndClaimAsync(Run run, HeldClaims claims, NoticeRecipient recipient, string noticeId, string primary, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(recipient.Email))
        {
            run.Record(noticeId, recipient, EmailStatus.NoContact, "The contact has no email address.", unreachable: true);
            metrics.Suppressed(run.MetricScenario, nameof(EmailStatus.NoContact));
            return null;
        }

        if (!EmailAddress.TryNormalize(recipient.Email, out var address))
        {
            run.Record(noticeId, recipient, EmailStatus.InvalidAddress, "The address is not a valid email address.", unreachable: true);
            metrics.Suppressed(run.MetricScenario, nameof(EmailStatus.InvalidAddress));
            return null;
        }

        // The blacklist check (from memory, or a read when a refresh is due) and the ledger claim go together: the
        // check still completes before anything is sent, and a claim taken for a blacklisted address is given
        // back, so the outcome is the same as checking first. Blacklisted addresses are rare, so the extra delete is too.
        var listed = blacklist.FindBeforeSendAsync(address, cancellationToken).AsTask();
        var claimedAt = clock.GetUtcNow();
        var claim = ledger.TryClaimAsync(run.Notice.LibraryId, noticeId, primary, claimedAt, claims.Holder, cancellationToken);
        await Task.WhenAll(listed, claim);
        var existing = await claim;
        if (await listed is { } entry)
        {
            if (existing is null)
            {
                await ledger.ReleaseAsync(run.Notice.LibraryId, noticeId, cancellationToken);
            }

            run.Record(noticeId, recipient, EmailStatus.Suppressed, $"Blacklisted ({entry.Source}): {entry.Reason}", unreachable: true);
            metrics.Suppressed(run.MetricScenario, nameof(EmailStatus.Suppressed));
            return null;
        }

        if (existing is null)
        {
            claims.Add(noticeId, claimedAt);
            return primary;
        }

        switch (existing.GetState())
        {
            case LedgerState.Sent when existing.ProviderMessageId is { } sentId && !await log.HasMessageAsync(run.Notice.LibraryId, sentId, existing.ClaimedAt, cancellationToken):
                // The process died after the ledger recorded the send and before the email log did (the log is
                // written last), or the sender is between the two writes right now. Record the send under the
                // row id the ledger names: whichever attempt inserts it first reports Sent, the others find it
                // there (SendAsync), so every sent notice has exactly one Sent row; nothing goes again.
                run.Record(noticeId, recipient, EmailStatus.Sent, "Recorded after a restart: the provider had accepted it.", existing.Provider, sentId,
                    at: existing.ClaimedAt, id: existing.LogEntryId ?? EmailLogStore.SentEntryId(noticeId, existing.ClaimedAt));
                return null;
            case LedgerState.Sent:
                run.Record(noticeId, recipient, EmailStatus.Skipped, $"Already sent by {existing.Provider} ({existing.ProviderMessageId}).", existing.Provider, alreadySent: true);
                return null;
            case LedgerState.Failed:
                run.Record(noticeId, recipient, EmailStatus.Skipped, $"Already rejected permanently: {existing.Reason}", existing.Provider, unreachable: true);
                return null;
        }

        return await ResumeClaimAsync(run, claims, recipient, noticeId, existing, cancellationToken);
    }

    /// <summary>
    /// A claim without an outcome: another worker is sending, or one died between the provider's accept and
    /// the ledger write. Idempotent providers get the same message again at once (the service or the file name
    /// deduplicates); others only once the lease has run out, accepting that a message the provider already
    /// took may go twice (docs/delivery.md, "The crash window"). A live attempt renews its claim (HeldClaims), so
    /// the lease runs out only for a dead one.
    /// </summary>
    /// <remarks>
    /// Taking an idempotent provider's claim over at once means its holder may still be alive: it confirmed its claim
    /// before the provider call and cannot notice a takeover while inside it. The provider keeps the message once and
    /// both attempts then settle it. That overlap is made harmless where it ends rather than prevented here: such a
    /// send is settled by <see cref="NoticeLedger.RecordSentOnceAsync"/>, where only the first attempt writes the Sent
    /// outcome and every later one adopts its log row id, so the log holds one Sent row and one attempt reports Sent
    /// (<see cref="SettleLedgerAsync"/>). Refusing to take over a claim renewed recently would not do: a claim cannot
    /// tell a live holder from one that died just after renewing, so every crash would wait out a lease (or a
    /// heartbeat short enough to be costly), and a live holder stalled past that wait would overlap again.
    /// </remarks>
    private async Task<string?> ResumeClaimAsync(Run run, HeldClaims claims, NoticeRecipient recipient, string noticeId, LedgerRow existing, CancellationToken cancellationToken)
    {
        var claimedBy = providers.Get(existing.Provider);
        var leaseOver = clock.GetUtcNow() - existing.LeaseStart() >= TimeSpan.FromSeconds(options.Value.ClaimLeaseSeconds);
        if (!claimedBy.IdempotentByMessageKey && !leaseOver)
        {
            run.Record(noticeId, recipient, EmailStatus.Skipped, "Another attempt holds a fresh claim on this notice; retry later.", existing.Provider);
            run.RetryLater = true;
            return null;
        }

        var takenAt = clock.GetUtcNow();
        if (!await ledger.TryTakeOverAsync(existing, existing.Provider, takenAt, claims.Holder, cancellationToken))
        {
            run.Record(noticeId, recipient, EmailStatus.Skipped, "Another attempt took this notice over first.", existing.Provider);
            run.RetryLater = true;
            return null;
        }

        claims.Add(noticeId, takenAt);
        LogResume(logger, noticeId, existing.Provider, claimedBy.IdempotentByMessageKey);
        return existing.Provider;
    }

    private async Task DeliverAsync(
        Run run, HeldClaims claims, Library library, string providerName, PlannedMessage message, IReadOnlyDictionary<string, NoticeRecipient> recipients, CancellationToken cancellationToken)
    {
        var failures = new List<FailedAttempt>();
        var provider = providers.Get(providerName);
        Task<bool> StillHeld(CancellationToken token) => claims.ConfirmAsync(message.NoticeIds, token);
        var (result, count) = await attempts.SendAsync(provider, message.Email, run.MetricScenario, failures, StillHeld, cancellationToken, run.Notice.MaxProviderAttempts);

        // Failover is for a provider that is down, never for a recipient the provider refused.
        if (result?.Outcome == ProviderOutcome.ProviderDown && providers.FailoverFor(library) is { } failoverName && failoverName != providerName)
        {
            failures.Add(new FailedAttempt(provider.Name, count, result, clock.GetUtcNow()));
            LogFailover(logger, providerName, failoverName, Redaction.Redact(result.Reason));
            var moved = true;
            foreach (var noticeId in message.NoticeIds)
            {
                moved &= await claims.MoveAsync(noticeId, failoverName, cancellationToken);
            }

            provider = providers.Get(failoverName);
            (result, count) = moved
                ? await attempts.SendAsync(provider, message.Email, run.MetricScenario, failures, StillHeld, cancellationToken, run.Notice.MaxProviderAttempts)
                : (null, 0);
        }

        if (result is null)
        {
            await YieldLostClaimsAsync(run, claims, message, recipients, failures, cancellationToken);
            return;
        }

        // Ledger first, log second: the ledger write is what closes the crash window, so nothing comes between.
        var settledAt = clock.GetUtcNow();
        var sentRows = await SettleLedgerAsync(run, claims, provider, message, result, settledAt, cancellationToken);

        // After the ledger, so the copy can neither fail nor repeat the send: one upload per recipient's notice (one for
        // a message to one reader, one per Bcc recipient), best effort (it logs, never throws), running beside the
        // email log's writes rather than before them.
        if (result.Outcome == ProviderOutcome.Accepted && message.Copy is { } copy)
        {
            for (var i = 0; i < message.NoticeIds.Count; i++)
            {
                var copyNoticeId = message.NoticeIds[i];
                var recipient = recipients[copyNoticeId];
                // A BCC message's Bcc list is in its notices' order (MessageBuilder): each copy keeps its own address only,
                // and none if the lists ever disagreed, so no copy names another reader.
                var own = copy.Bcc.Count == 0 ? copy : copy with { Bcc = copy.Bcc.Count == message.NoticeIds.Count ? [copy.Bcc[i]] : [] };
                run.CopyUploads.Add(copies.TryWriteAsync(
                    MessageCopies.MessageCopies.From(own, run.Notice.LibraryId, copyNoticeId, run.Scenario, recipient.PatronId ?? run.Notice.PatronId, settledAt),
                    cancellationToken));
            }
        }

        foreach (var noticeId in message.NoticeIds)
        {
            var recipient = recipients[noticeId];
            foreach (var failure in failures)
            {
                run.Record(noticeId, recipient, EmailStatus.Failed, $"{failure.Result.Outcome}: {failure.Result.Reason} (retrying)", failure.Provider, attempt: failure.Attempt, at: failure.At);
            }

            var attempt = failures.Count(f => f.Provider == provider.Name) + 1;
            if (result.Outcome == ProviderOutcome.Accepted)
            {
                var (sentId, sentAt) = sentRows[noticeId];
                run.Record(noticeId, recipient, EmailStatus.Sent, null, provider.Name, result.ProviderMessageId, attempt, at: sentAt, id: sentId);
            }
            else
            {
                run.Record(noticeId, recipient, EmailStatus.Failed, $"{result.Outcome}: {result.Reason}", provider.Name, attempt: attempt,
                    unreachable: result.Outcome == ProviderOutcome.Permanent);
            }
        }

        if (result.Outcome == ProviderOutcome.Accepted)
        {
            metrics.Sent(provider.Name, run.MetricScenario);
        }
        else
        {
            metrics.Failed(provider.Name, run.MetricScenario, result.Outcome.ToString());
            run.RetryLater |= result.Outcome != ProviderOutcome.Permanent;
            LogGaveUp(logger, provider.Name, run.Scenario, result.Outcome, message.Email.MessageKey);
        }
    }

    /// <summary>
    /// Writes the message's outcome to the ledger; for an accepted message returns, per notice, the id and time of the
    /// Sent log row to record. Through SES or SMTP that is this send's own row (an overlapping attempt that also sent
    /// sent a second email, which gets its own row). Through an idempotent provider it is the row of whichever attempt
    /// recorded the send first (<see cref="NoticeLedger.RecordSentOnceAsync"/>): an attempt overtaken inside its
    /// provider call and the one that took its claim over sent the same message, so they record the same row, and the
    /// log insert that comes second finds it there and reports the notice already sent (<see cref="Run.YieldTo"/>). A
    /// row the first attempt never wrote (it died between its ledger and log writes) is written by the second, under
    /// the same id. The read this costs widens the crash window only for providers that deduplicate a resend.
    /// </summary>
    private async Task<Dictionary<string, (string Id, DateTimeOffset At)>> SettleLedgerAsync(
        Run run, HeldClaims claims, IEmailProvider provider, PlannedMessage message, ProviderResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sentRows = new Dictionary<string, (string Id, DateTimeOffset At)>(StringComparer.Ordinal);
        foreach (var noticeId in message.NoticeIds)
        {
            claims.Settle(noticeId);
            var ownRow = (Id: EmailLogStore.SentEntryId(noticeId, now), At: now);
            if (result.Outcome == ProviderOutcome.Accepted && provider.IdempotentByMessageKey)
            {
                var stands = await ledger.RecordSentOnceAsync(
                    run.Notice.LibraryId, noticeId, provider.Name, result.ProviderMessageId, now, ownRow.Id, cancellationToken);
                sentRows[noticeId] = stands.ProviderMessageId == result.ProviderMessageId
                    ? (stands.LogEntryId ?? EmailLogStore.SentEntryId(noticeId, stands.ClaimedAt), stands.ClaimedAt)

                    // Another message of this notice (a different message key) was recorded first: two emails, two rows.
                    : ownRow;
                continue;
            }

            sentRows[noticeId] = ownRow;
            var write = result.Outcome switch
            {
                ProviderOutcome.Accepted => ledger.MarkSentAsync(run.Notice.LibraryId, noticeId, provider.Name, result.ProviderMessageId, now, ownRow.Id, cancellationToken),
                ProviderOutcome.Permanent => ledger.MarkFailedAsync(run.Notice.LibraryId, noticeId, provider.Name, result.Reason, now, cancellationToken),

                // Nothing was delivered: give the notice back so the next run (an activity retry) can send it, unless
                // another attempt holds it by now (it is sending it).
                _ => claims.ReleaseAsync(noticeId, cancellationToken),
            };
            await write;
        }

        return sentRows;
    }

    /// <summary>
    /// Another attempt took over a claim of this message before its provider call (this one stalled a whole lease):
    /// that attempt sends it, so this one sends nothing, gives back the message's other claims for a later run, and
    /// asks to be retried, which then finds the notice sent or still in hand.
    /// </summary>
    private async Task YieldLostClaimsAsync(
        Run run, HeldClaims claims, PlannedMessage message, IReadOnlyDictionary<string, NoticeRecipient> recipients, List<FailedAttempt> failures, CancellationToken cancellationToken)
    {
        foreach (var noticeId in message.NoticeIds)
        {
            await claims.ReleaseAsync(noticeId, cancellationToken);
            foreach (var failure in failures)
            {
                run.Record(noticeId, recipients[noticeId], EmailStatus.Failed, $"{failure.Result.Outcome}: {failure.Result.Reason} (retrying)", failure.Provider, attempt: failure.Attempt, at: failure.At);
            }

            run.Record(noticeId, recipients[noticeId], EmailStatus.Skipped, "Another attempt took this notice over before it was sent; retry later.");
        }

        run.RetryLater = true;
    }

    /// <summary>The entries and outcomes of one call, written to the log together at the end.</summary>
    private sealed class Run(Notice notice, TimeProvider clock)
    {
        public Notice Notice { get; } = notice;
        public string Scenario { get; } = notice.Scenario.ToString();

        /// <summary>Test sends are counted apart, so metrics show what libraries really sent.</summary>
        public string MetricScenario { get; } = MessageBuilder.ReportingScenario(notice);
        public List<EmailLogEntry> Entries { get; } = [];
        public List<RecipientOutcome> Outcomes { get; } = [];
        public bool RetryLater { get; set; }

        /// <summary>Message copies being stored; they never throw, and the call waits for them before it returns.</summary>
        public List<Task> CopyUploads { get; } = [];

        public void Record(
            string noticeId, NoticeRecipient recipient, EmailStatus status, string? reason, string? provider = null, string? providerMessageId = null, int attempt = 1,
            DateTimeOffset? at = null, string? id = null, bool alreadySent = false, bool unreachable = false)
        {
            var now = at ?? clock.GetUtcNow();
            Entries.Add(new EmailLogEntry
            {
                Id = id ?? EmailLogStore.NewId(now),
                Time = now,
                LibraryId = Notice.LibraryId,
                Scenario = Scenario,
                TemplateId = Notice.TemplateId,
                TemplateVersion = Notice.TemplateVersion,
                NoticeId = noticeId,
                SubjectRecordId = Notice.SubjectRecordId,
                Address = recipient.Email,
                RecipientName = recipient.Name,
                Role = recipient.Role,
                PatronId = recipient.PatronId ?? Notice.PatronId,
                Subject = MessageBuilder.SingleLine(Notice.Content.ForLog.Subject),
                Preview = Preview(Notice.Content.ForLog.Text),
                Provider = provider,
                ProviderMessageId = providerMessageId,
                Status = status,
                Reason = reason,
                Attempt = attempt,
                IsTest = Notice.IsTest,
                OutboxNoticeId = Notice.OutboxNoticeId,
            });

            // The final word per recipient: the last record wins (attempts before it were retries).
            Outcomes.RemoveAll(o => o.NoticeId == noticeId);
            Outcomes.Add(new RecipientOutcome(noticeId, status, reason, provider, providerMessageId, alreadySent) { EmailUnreachable = unreachable });
        }

        /// <summary>
        /// The Sent rows another attempt wrote first (the same notice repeated at once): that attempt reports
        /// the send, this one reports it as already sent, so one send is reported once.
        /// </summary>
        public void YieldTo(IReadOnlySet<string> recordedByAnother)
        {
            foreach (var entry in Entries.Where(e => recordedByAnother.Contains(e.Id)))
            {
                var index = Outcomes.FindIndex(o => o.NoticeId == entry.NoticeId);
                if (index >= 0 && Outcomes[index].Status == EmailStatus.Sent)
                {
                    Outcomes[index] = new RecipientOutcome(entry.NoticeId, EmailStatus.Skipped, $"Already sent by {entry.Provider} ({entry.ProviderMessageId}).", entry.Provider, entry.ProviderMessageId, AlreadySent: true);
                }
            }
        }

        private static string Preview(string text) => text.Length <= PreviewLength ? text : text[..PreviewLength] + "…";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notice {NoticeId} had an unfinished claim by {Provider}; sending again (idempotent provider: {Idempotent}).")]
    private static partial void LogResume(ILogger logger, string noticeId, string provider, bool idempotent);

    [LoggerMessage(Level = LogLevel.Error, Message = "Provider {Provider} is down ({Reason}); failing over to {Failover}.")]
    private static partial void LogFailover(ILogger logger, string provider, string failover, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up on message {MessageKey} for {Scenario} through {Provider}: {Outcome}.")]
    private static partial void LogGaveUp(ILogger logger, string provider, string scenario, ProviderOutcome outcome, string messageKey);
}
