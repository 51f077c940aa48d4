using System.Security.Cryptography;
using System.Text;
using Comms.Circulation;
using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Notices;
using Comms.Outbox;
using Comms.Scenarios;

namespace Comms.Lending;

/// <summary>
/// The notices about what a patron has now, sent at once rather than at the send time: the receipt for a
/// checkout session and the current loans report. Each is keyed on the loans it lists, so a retried call
/// sends nothing twice and a changed list is a new email.
/// </summary>
public sealed class LendingService(LoanStore loans, PatronService patrons, LibraryStore libraries, NoticeOutbox outbox, TimeProvider time)
{
    /// <summary>
    /// One receipt listing every loan of the session that is still out, to the roles the library chose for
    /// loan-receipt, queued in the outbox (the checkout never waits on a provider). A repeat post answers the same
    /// notice; the ledger keeps it to one email. Null when no loan of the session is still out.
    /// </summary>
    public async Task<QueuedNotice?> QueueReceiptAsync(string libraryId, string patronId, IReadOnlyList<Loan> session, CancellationToken cancellationToken = default)
    {
        var listed = session.Where(l => l.PatronId == patronId && l.Status == LoanStatus.Active).ToList();
        if (listed.Count == 0)
        {
            return null;
        }

        var library = await libraries.GetAsync(libraryId, cancellationToken) ?? throw new NotFoundException($"Library '{libraryId}' does not exist.");
        return await outbox.EnqueueAsync(new NoticeRequest
        {
            LibraryId = libraryId,
            Scenario = new ScenarioKey(Scenario.LoanReceipt),
            SubjectRecordId = "session-" + Hash(listed.Select(l => l.LoanId).Order(StringComparer.Ordinal)),
            // The issue date stored with the loans, not "now": a retry the next day is still the same receipt.
            ScheduledFor = LibraryTime.LocalDate(listed.Min(l => l.IssuedAt), LibraryTime.Zone(library.TimeZone)),
            PatronId = patronId,
            Loans = [.. listed.Select(l => l.ToFact())],
        }, cancellationToken);
    }

    /// <summary>One email to the patron's contacts (roles chosen for current-loans-report) listing every loan still out, queued.</summary>
    public async Task<CurrentLoansReport> QueueCurrentLoansReportAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
    {
        var library = await libraries.GetAsync(libraryId, cancellationToken) ?? throw new NotFoundException($"Library '{libraryId}' does not exist.");
        var patron = await patrons.GetAsync(libraryId, patronId, cancellationToken);
        var current = await loans.ListActiveForPatronAsync(libraryId, patron.Id, cancellationToken);
        if (current.Count > NoticeLimits.MaxItems)
        {
            // Listing only some would tell the reader that is all they have; refuse plainly instead.
            throw new ConflictException(
                $"Patron '{patron.Id}' has {current.Count} loans out; a current loans report lists at most {NoticeLimits.MaxItems}, so none was sent.");
        }

        var notice = await outbox.EnqueueAsync(new NoticeRequest
        {
            LibraryId = libraryId,
            Scenario = new ScenarioKey(Scenario.CurrentLoansReport),
            // Same loans and due dates on the same day = the same report (a double click sends one email).
            SubjectRecordId = "loans-" + Hash(current.Select(l => $"{l.LoanId}@{l.DueAt.UtcTicks}")),
            ScheduledFor = LibraryTime.LocalDate(time.GetUtcNow(), LibraryTime.Zone(library.TimeZone)),
            PatronId = patron.Id,
            Loans = [.. current.Select(l => l.ToFact())],
        }, cancellationToken);
        return new CurrentLoansReport(patron.Id, [.. current.Select(l => l.ToFact())], notice);
    }

    private static string Hash(IEnumerable<string> parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))))[..24];
}

/// <summary>What the report listed and the notice that carries it.</summary>
public sealed record CurrentLoansReport(string PatronId, IReadOnlyList<LoanFact> Loans, QueuedNotice Notice);
