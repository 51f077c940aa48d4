using Comms.Accounts;
using Comms.Circulation;
using Comms.Delivery;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Reservations;
using Comms.Suppression;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Comms.Retention;

/// <summary>
/// Deletes records past their retention, library by library (docs/retention.md). Every deletion is of rows
/// that are past a cutoff, found afresh by each run, so nothing needs a checkpoint: a run that crashes or
/// reaches its deadline leaves expired rows that the next run finds and deletes, and a run with nothing to do
/// deletes nothing.
/// </summary>
public sealed partial class ExpiredRecordsPurge(
    LibraryStore libraries,
    EmailLogRetention emailLog,
    EmailLogCounters emailLogCounters,
    BlacklistGrowth blacklistGrowth,
    BlacklistAudit blacklistAudit,
    NoticeLedger ledger,
    LoanDigests digests,
    ContactDigests contactDigests,
    WeeklySummaries weeklySummaries,
    LoanStore loans,
    ReservationStore reservations,
    PasswordResetThrottle resetThrottle,
    Outbox.OutboxStore outbox,
    MessageCopies.MessageCopyStore messageCopies,
    Print.PrintRetention print,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<ExpiredRecordsPurge> logger)
{
    public Task<PurgeRun> RunAsync(CancellationToken cancellationToken = default) => RunAsync(clock.GetUtcNow(), cancellationToken);

    /// <summary>Purges every library as of <paramref name="now"/>, until done or until <see cref="RetentionOptions.MaxRunSeconds"/>.</summary>
    public async Task<PurgeRun> RunAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(options.Value.MaxRunSeconds));
        var total = PurgeCounts.None;
        var finished = 0;
        var failed = 0;
        try
        {
            await foreach (var libraryId in libraries.ListIdsAsync(deadline.Token))
            {
                try
                {
                    var deleted = await PurgeLibraryAsync(libraryId, now, deadline.Token);
                    total += deleted;
                    finished++;
                    if (deleted.Total > 0)
                    {
                        LogLibrary(logger, libraryId, deleted.EmailLog, deleted.EmailLogIndex, deleted.Ledger, deleted.Loans, deleted.Reservations, deleted.Total);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One library's bad row or outage must not keep every library after it from being purged.
                    failed++;
                    LogLibraryFailed(logger, libraryId, e);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogCutOff(logger, options.Value.MaxRunSeconds, finished, total.Total);
            return new PurgeRun(finished, failed, total, Completed: false);
        }

        LogDone(logger, finished, failed, total.EmailLog, total.EmailLogIndex, total.BlacklistAudit, total.Ledger, total.LoanDigests, total.Loans, total.Reservations, total.PasswordResetWindows);
        return new PurgeRun(finished, failed, total, Completed: true);
    }

    /// <summary>Purges one library's records as of <paramref name="now"/>; no other library's rows are read.</summary>
    public async Task<PurgeCounts> PurgeLibraryAsync(string libraryId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var logCutoff = now.AddDays(-o.EmailLogDays);
        var ledgerCutoff = now.AddDays(-o.LedgerDays);
        var closedCutoff = now.AddDays(-o.ClosedRecordDays);
        var log = await emailLog.DeleteOlderThanAsync(libraryId, logCutoff, cancellationToken);
        return new PurgeCounts
        {
            EmailLog = log.Rows,
            EmailLogIndex = log.IndexRows,
            DashboardCounts = await emailLogCounters.DeleteBeforeAsync(libraryId, DateOnly.FromDateTime(logCutoff.UtcDateTime), cancellationToken)
                + await blacklistGrowth.DeleteBeforeAsync(libraryId, DateOnly.FromDateTime(logCutoff.UtcDateTime), cancellationToken),
            BlacklistAudit = await blacklistAudit.DeleteOlderThanAsync(libraryId, logCutoff, cancellationToken),
            Ledger = await ledger.DeleteWrittenBeforeAsync(libraryId, ledgerCutoff, cancellationToken),
            LoanDigests = await digests.DeleteFiredBeforeAsync(libraryId, ledgerCutoff, cancellationToken)
                + await contactDigests.DeleteFiredBeforeAsync(libraryId, ledgerCutoff, cancellationToken)
                + await weeklySummaries.DeleteBeforeAsync(libraryId, DateOnly.FromDateTime(ledgerCutoff.UtcDateTime), cancellationToken),
            Loans = await loans.DeleteReturnedBeforeAsync(libraryId, closedCutoff, cancellationToken),
            Reservations = await reservations.DeleteClosedBeforeAsync(libraryId, closedCutoff, cancellationToken),
            PasswordResetWindows = await resetThrottle.DeleteIdleSinceAsync(libraryId, now - PasswordResetThrottle.IdleRowLifetime, cancellationToken),
            OutboxNotices = await outbox.DeleteWrittenBeforeAsync(libraryId, ledgerCutoff, cancellationToken),
            MessageCopies = await messageCopies.DeleteOlderThanAsync(libraryId, now.AddDays(-o.MessageCopyDays), cancellationToken),
            PrintRecords = await print.DeleteOlderThanAsync(libraryId, logCutoff, cancellationToken),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention purge of library {LibraryId}: {EmailLog} email log rows ({EmailLogIndex} index rows), {Ledger} ledger rows, {Loans} loans, {Reservations} reservations; {Total} rows in all.")]
    private static partial void LogLibrary(ILogger logger, string libraryId, int emailLog, int emailLogIndex, int ledger, int loans, int reservations, int total);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention purge of library {LibraryId} failed; the other libraries go on and the next run tries it again.")]
    private static partial void LogLibraryFailed(ILogger logger, string libraryId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention purge stopped at its deadline of {Seconds} s after {Libraries} libraries ({Total} rows deleted); the next run carries on.")]
    private static partial void LogCutOff(ILogger logger, int seconds, int libraries, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention purge done: {Libraries} libraries purged, {Failed} failed; deleted {EmailLog} email log rows, {EmailLogIndex} index rows, {BlacklistAudit} blacklist audit rows, {Ledger} ledger rows, {LoanDigests} digest rows, {Loans} loans, {Reservations} reservations, {PasswordResetWindows} password reset windows.")]
    private static partial void LogDone(ILogger logger, int libraries, int failed, int emailLog, int emailLogIndex, int blacklistAudit, int ledger, int loanDigests, int loans, int reservations, int passwordResetWindows);
}
