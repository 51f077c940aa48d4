using Comms.Circulation;
using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Notices;
using Comms.Outbox;
using Comms.Scenarios;
using Comms.Storage;

namespace Comms.Charges;

/// <summary>
/// The notices about charges the library system asks for at once: a loan declared lost, a lost loan returned (the
/// charge adjusted), a payment received. Each is queued in the outbox, so the call never waits on or fails because
/// of the provider, and keyed on its record and the library-local date it happened: a retried call answers the same
/// notice and sends nothing twice. The amounts are the library system's; the engine only tells.
/// </summary>
public sealed class ChargeNotices(LibraryStore libraries, PatronStore patrons, LoanStore loans, NoticeOutbox outbox)
{
    public const int MaxLoansPerPayment = 100;

    public Task<QueuedNotice> QueueDeclaredLostAsync(Loan loan, CancellationToken cancellationToken = default) =>
        QueueAsync(loan, Scenario.DeclaredLost, loan.LostAt ?? loan.IssuedAt, charge: null, cancellationToken);

    /// <summary><paramref name="remaining"/> is what the library system still charges for the item; null means its lost-item fee (the replacement cost is taken off).</summary>
    public Task<QueuedNotice> QueueLostReturnedAsync(Loan loan, decimal? remaining, CancellationToken cancellationToken = default) =>
        QueueAsync(loan, Scenario.LostItemReturned, loan.ReturnedAt ?? loan.LostAt ?? loan.IssuedAt, new ChargeFact(Remaining: remaining ?? loan.LostFee ?? 0m), cancellationToken);

    public async Task<QueuedNotice> QueuePaymentAsync(string libraryId, string patronId, PaymentRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        if (!TableKeys.IsValidId(request.PaymentId))
        {
            errors.Add("paymentId", "Required: letters, digits, '.', '_' or '-', at most 100 characters.");
        }

        ChargeAmounts.Check(request.Amount, "amount", errors, required: true);
        ChargeAmounts.Check(request.Balance, "balance", errors);
        if (request.PaidAt is null)
        {
            errors.Add("paidAt", "Required: when the payment was taken, an ISO 8601 date-time with offset.");
        }

        var loanIds = request.LoanIds ?? [];
        if (loanIds.Count > MaxLoansPerPayment)
        {
            errors.Add("loanIds", $"At most {MaxLoansPerPayment} loans.");
        }

        for (var i = 0; i < Math.Min(loanIds.Count, MaxLoansPerPayment); i++)
        {
            if (!TableKeys.IsValidId(loanIds[i]))
            {
                errors.Add($"loanIds[{i}]", "A loan id: letters, digits, '.', '_' or '-', at most 100 characters.");
            }
        }

        errors.ThrowIfAny();
        var library = await libraries.GetAsync(libraryId, cancellationToken) ?? throw new NotFoundException($"Library '{libraryId}' does not exist.");
        _ = (TableKeys.IsValidId(patronId) ? await patrons.GetAsync(libraryId, patronId, cancellationToken) : null) ?? throw new NotFoundException($"Patron '{patronId}' does not exist in library '{libraryId}'.");
        var paidFor = new List<LoanFact>();
        foreach (var (loanId, i) in loanIds.Distinct(StringComparer.Ordinal).Select((id, i) => (id, i)))
        {
            // Only this patron's loans: a payment never lists another reader's items.
            var loan = await loans.GetAsync(libraryId, loanId, cancellationToken);
            if (loan is null || loan.PatronId != patronId)
            {
                errors.Add($"loanIds[{i}]", $"Patron '{patronId}' has no loan '{loanId}'.");
                continue;
            }

            paidFor.Add(loan.ToFact());
        }

        errors.ThrowIfAny();
        return await outbox.EnqueueAsync(new NoticeRequest
        {
            LibraryId = libraryId,
            Scenario = new ScenarioKey(Scenario.PaymentReceived),
            SubjectRecordId = "payment-" + request.PaymentId,
            ScheduledFor = LibraryTime.LocalDate(request.PaidAt!.Value, LibraryTime.Zone(library.TimeZone)),
            PatronId = patronId,
            Loans = paidFor,
            Charge = new ChargeFact(Paid: request.Amount, Balance: request.Balance ?? 0m),
        }, cancellationToken);
    }

    private async Task<QueuedNotice> QueueAsync(Loan loan, Scenario scenario, DateTimeOffset at, ChargeFact? charge, CancellationToken cancellationToken)
    {
        var library = await libraries.GetAsync(loan.LibraryId, cancellationToken) ?? throw new NotFoundException($"Library '{loan.LibraryId}' does not exist.");
        return await outbox.EnqueueAsync(new NoticeRequest
        {
            LibraryId = loan.LibraryId,
            Scenario = new ScenarioKey(scenario),
            SubjectRecordId = loan.LoanId,
            ScheduledFor = LibraryTime.LocalDate(at, LibraryTime.Zone(library.TimeZone)),
            PatronId = loan.PatronId,
            Loans = [loan.ToFact()],
            Charge = charge,
        }, cancellationToken);
    }
}

/// <summary>POST …/patrons/{patronId}/payments body: a payment the library system took.</summary>
public sealed record PaymentRequest
{
    /// <summary>The library system's id of the payment: one notice per payment.</summary>
    public string? PaymentId { get; init; }

    public decimal? Amount { get; init; }

    /// <summary>What the patron still owes after it (null: nothing).</summary>
    public decimal? Balance { get; init; }

    public DateTimeOffset? PaidAt { get; init; }

    /// <summary>The loans the payment was for, listed in the notice (optional).</summary>
    public IReadOnlyList<string>? LoanIds { get; init; }
}
