using Comms.Accounts;
using Comms.Circulation;
using Comms.Contacts;
using Comms.EmailLog;
using Microsoft.Extensions.Logging;

namespace Comms.Retention;

/// <summary>
/// Deleting a patron erases what this service holds about them (docs/retention.md): their contacts, their
/// returned loans, their password reset window, their auto-renewal results, and their name, addresses and message text in the email log,
/// whose status rows stay so the library can still show that a notice went out, when, and how it ended.
/// </summary>
public sealed partial class PatronErasure(
    PatronService patrons,
    EmailLogRetention emailLog,
    LoanStore loans,
    PasswordResetThrottle resetThrottle,
    Outbox.OutboxStore outbox,
    MessageCopies.MessageCopyStore messageCopies,
    Renewals.RenewalResultStore renewalResults,
    PatronCards cards,
    Suppression.BlacklistGrowth blacklistGrowth,
    Sms.SmsNumberStore smsNumbers,
    Print.PrintItemStore printItems,
    TimeProvider clock,
    ILogger<PatronErasure> logger)
{
    /// <summary>Erases the patron; 404 (<see cref="Common.NotFoundException"/>) when there is no such patron.</summary>
    public async Task<PatronErasureResult> EraseAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
    {
        var patron = await patrons.GetAsync(libraryId, patronId, cancellationToken);

        // The addresses find rows written before the log had a PatronId column.
        var logRows = await emailLog.ErasePatronAsync(libraryId, patronId, patron.Contacts.Select(c => c.Email), clock.GetUtcNow(), cancellationToken);
        var returnedLoans = await loans.DeleteReturnedForPatronAsync(libraryId, patronId, cancellationToken);
        await resetThrottle.DeleteAsync(libraryId, patronId, cancellationToken);
        // Their queued and past notices go too: the encrypted data names them (the email log keeps the status rows).
        await outbox.DeletePatronAsync(libraryId, patronId, cancellationToken);
        // The copies of messages about them show their name, address and books.
        await messageCopies.DeletePatronAsync(libraryId, patronId, cancellationToken);
        await renewalResults.DeletePatronAsync(libraryId, patronId, cancellationToken);
        await cards.DeleteAsync(libraryId, patronId, cancellationToken);
        // Their printed notices, waiting or batched (a PDF already made keeps its page until the retention purge).
        await printItems.DeletePatronAsync(libraryId, patronId, cancellationToken);
        await blacklistGrowth.ForgetAsync(libraryId, patron.Contacts.Select(c => c.Email), cancellationToken);
        foreach (var phone in patron.Contacts.Select(c => c.Phone).Append(patron.Phone).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            await smsNumbers.ForgetAsync(phone, libraryId, cancellationToken);
        }

        // Last: while the patron row exists, an erasure that failed half-way is finished by deleting again.
        await patrons.DeleteAsync(libraryId, patronId, cancellationToken);
        LogErased(logger, libraryId, logRows, returnedLoans);
        return new PatronErasureResult(logRows, returnedLoans);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Patron erased in library {LibraryId}: {LogRows} email log rows redacted, {ReturnedLoans} returned loans deleted.")]
    private static partial void LogErased(ILogger logger, string libraryId, int logRows, int returnedLoans);
}

/// <summary>What erasing one patron changed.</summary>
public sealed record PatronErasureResult(int EmailLogRowsErased, int ReturnedLoansDeleted);
