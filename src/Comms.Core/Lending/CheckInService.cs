using System.Security.Cryptography;
using System.Text;
using Comms.Circulation;
using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Notices;
using Comms.Outbox;
using Comms.Scenarios;
using Comms.Storage;

namespace Comms.Lending;

/// <summary>POST /libraries/{libraryId}/check-ins body: the loans a patron returned at one visit.</summary>
public sealed record CheckInRequest
{
    public string? PatronId { get; init; }
    public IReadOnlyList<string?>? LoanIds { get; init; }
}

/// <summary>The session's loans after it (every one returned), and those this call returned (a repeat returns none).</summary>
public sealed record CheckInSession(IReadOnlyList<Loan> Loans, IReadOnlyList<Loan> ReturnedNow);

/// <summary>
/// A check-in session: every listed loan is returned (the caller ends each ladder), then one check-in receipt lists
/// them all, keyed on the session's loan ids and the day they came back, so a repeated post sends nothing new.
/// </summary>
public sealed class CheckInService(LoanService loans, LoanStore store, PatronStore patrons, LibraryStore libraries, NoticeOutbox outbox)
{
    public const int MaxLoansPerSession = 100;

    public async Task<CheckInSession> CheckInAsync(string libraryId, CheckInRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        if (!TableKeys.IsValidId(request.PatronId))
        {
            errors.Add("patronId", "Required: letters, digits, '.', '_' or '-', at most 100 characters.");
        }

        var ids = request.LoanIds ?? [];
        if (ids.Count is 0 or > MaxLoansPerSession)
        {
            errors.Add("loanIds", $"A check-in session lists 1 to {MaxLoansPerSession} loans.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Math.Min(ids.Count, MaxLoansPerSession); i++)
        {
            if (!TableKeys.IsValidId(ids[i]))
            {
                errors.Add($"loanIds[{i}]", "A loan id: letters, digits, '.', '_' or '-', at most 100 characters.");
            }
            else if (!seen.Add(ids[i]!))
            {
                errors.Add($"loanIds[{i}]", $"Loan '{ids[i]}' is listed twice.");
            }
        }

        errors.ThrowIfAny();
        _ = await patrons.GetAsync(libraryId, request.PatronId!, cancellationToken)
            ?? throw new NotFoundException($"Patron '{request.PatronId}' does not exist in library '{libraryId}'.");
        var found = await Task.WhenAll(ids.Select(id => store.GetAsync(libraryId, id!, cancellationToken)));
        for (var i = 0; i < found.Length; i++)
        {
            if (found[i] is not { } loan || loan.PatronId != request.PatronId)
            {
                errors.Add($"loanIds[{i}]", $"Patron '{request.PatronId}' has no loan '{ids[i]}'.");
            }
        }

        errors.ThrowIfAny();
        var session = new List<Loan>(found.Length);
        var returnedNow = new List<Loan>();
        foreach (var loan in found.Select(l => l!))
        {
            if (loan.Status == LoanStatus.Returned)
            {
                session.Add(loan); // A repeat of the session: already back.
                continue;
            }

            var returned = await loans.ReturnAsync(libraryId, loan.LoanId, cancellationToken);
            session.Add(returned);
            returnedNow.Add(returned);
        }

        return new CheckInSession(session, returnedNow);
    }

    /// <summary>
    /// One receipt for the session, to the roles the library chose for check-in-receipt, queued in the outbox (the
    /// desk never waits on a provider). Queued on a repeat too: the first call may have died before queuing, and the
    /// same session and day derive the same notice id, so a repeat answers the same notice.
    /// </summary>
    public async Task<QueuedNotice> QueueReceiptAsync(string libraryId, string patronId, CheckInSession session, CancellationToken cancellationToken = default)
    {
        var library = await libraries.GetAsync(libraryId, cancellationToken) ?? throw new NotFoundException($"Library '{libraryId}' does not exist.");
        var ids = session.Loans.Select(l => l.LoanId).Order(StringComparer.Ordinal);
        return await outbox.EnqueueAsync(new NoticeRequest
        {
            LibraryId = libraryId,
            Scenario = new ScenarioKey(Scenario.CheckInReceipt),
            SubjectRecordId = "checkin-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', ids))))[..24],
            // The day the items came back, not "now": a retry the next day is still the same receipt.
            ScheduledFor = LibraryTime.LocalDate(session.Loans.Min(l => l.ReturnedAt ?? DateTimeOffset.MaxValue), LibraryTime.Zone(library.TimeZone)),
            PatronId = patronId,
            Loans = [.. session.Loans.Select(l => l.ToFact())],
        }, cancellationToken);
    }
}
