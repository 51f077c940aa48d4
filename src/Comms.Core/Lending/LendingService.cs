using System.Security.Cryptography;
using System.Text;
using Comms.Circulation;
using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;

namespace Comms.Lending;

/// <summary>
/// The notices about what a patron has now, sent at once rather than at the send time: the receipt for a
/// checkout session and the current loans report. Each is keyed on the loans it lists, so a retried call
/// sends nothing twice and a changed list is a new email.
/// </summary>
public sealed class LendingService(LoanStore loans, PatronService patrons, LibraryStore libraries, INoticeDispatcher dispatcher, TimeProvider time)
{
    /// <summary>
    /// One receipt listing every loan of the session that is still out, to the roles the library chose for
    /// loan-receipt. Sent on a repeat post too (the first may have failed to send); the ledger keeps it to one.
    /// </summary>
    public async Task<NoticeDispatchResult> SendReceiptAsync(string libraryId, string patronId, IReadOnlyList<Loan> session, CancellationToken cancellationToken = default)
    {
        var listed = session.Where(l => l.PatronId == patronId && l.Status == LoanStatus.Active).ToList();
        if (listed.Count == 0)
        {
            return NoticeDispatchResult.None;
        }

        var library = await libraries.GetAsync(libraryId, cancellationToken) ?? throw new NotFoundException($"Library '{libraryId}' does not exist.");
        return await dispatcher.DispatchAsync(new NoticeRequest
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

    /// <summary>One email to the patron's contacts (roles chosen for current-loans-report) listing every loan still out.</summary>
    public async Task<CurrentLoansReport> SendCurrentLoansReportAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
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

        var result = await dispatcher.DispatchAsync(new NoticeRequest
        {
            LibraryId = libraryId,
            Scenario = new ScenarioKey(Scenario.CurrentLoansReport),
            // Same loans and due dates on the same day = the same report (a double click sends one email).
            SubjectRecordId = "loans-" + Hash(current.Select(l => $"{l.LoanId}@{l.DueAt.UtcTicks}")),
            ScheduledFor = LibraryTime.LocalDate(time.GetUtcNow(), LibraryTime.Zone(library.TimeZone)),
            PatronId = patron.Id,
            Loans = [.. current.Select(l => l.ToFact())],
        }, cancellationToken);
        return new CurrentLoansReport(patron.Id, [.. current.Select(l => l.ToFact())], result);
    }

    private static string Hash(IEnumerable<string> parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))))[..24];
}

/// <summary>What the report listed and how the sending went.</summary>
public sealed record CurrentLoansReport(string PatronId, IReadOnlyList<LoanFact> Loans, NoticeDispatchResult Result);
