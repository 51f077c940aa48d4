using Comms.Common;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;

namespace Comms.Circulation;

/// <summary>POST …/loans/{loanId}/shorten body: the earlier due date, and why (shown to the reader).</summary>
public sealed record ShortenDueRequest
{
    public DateTimeOffset? DueAt { get; init; }
    public string? Reason { get; init; }
}

/// <summary>A shortened loan, whether this call changed it (false: a repeat), and the notice to send.</summary>
public sealed record ShortenedLoan(Loan Loan, bool Changed, NoticeRequest Notice);

/// <summary>
/// The library system brings a loan's due date forward (a course reserve, a closure): the row gets the new date,
/// the caller re-plans the ladder with the renew event, and the reader is told at once with the date the item
/// was due before. The notice is keyed on the loan and its new due date, so a repeat sends nothing new.
/// </summary>
public sealed class ShortenedLoanService(LoanService loans, LibraryStore libraries, TimeProvider time)
{
    private const int MaxReasonLength = 500;

    public async Task<ShortenedLoan> ShortenAsync(string libraryId, string loanId, ShortenDueRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        if (request.DueAt is null)
        {
            errors.Add("dueAt", "Required: the new, earlier due date.");
        }
        else if (request.DueAt <= time.GetUtcNow())
        {
            errors.Add("dueAt", "Must be in the future.");
        }

        Text.Optional(request.Reason, "reason", MaxReasonLength, errors);
        errors.ThrowIfAny();

        var loan = await loans.GetActiveAsync(libraryId, loanId, "shortened", cancellationToken);
        var dueAt = request.DueAt!.Value.ToUniversalTime();
        var changed = loan.DueAt != dueAt;
        if (changed)
        {
            if (dueAt > loan.DueAt)
            {
                throw RequestValidationException.For("dueAt", $"Must be before the loan's current due date ({loan.DueAt:O}); use renew to extend a loan.");
            }

            loan = await loans.SaveAsync(loan with { DueAt = dueAt, ShortenedFrom = loan.DueAt }, cancellationToken);
        }
        else if (loan.ShortenedFrom is null)
        {
            throw new ConflictException($"Loan '{loanId}' is already due at {dueAt:O}; nothing to shorten.");
        }

        var library = await libraries.GetAsync(libraryId, cancellationToken) ?? throw new NotFoundException($"Library '{libraryId}' does not exist.");
        var notice = new NoticeRequest
        {
            LibraryId = libraryId,
            Scenario = new ScenarioKey(Scenario.DueDateShortened),
            SubjectRecordId = $"{loan.LoanId}.due-{dueAt.UtcTicks}",
            // The new due date's own day: a repeat on another day is still the same notice.
            ScheduledFor = LibraryTime.LocalDate(dueAt, LibraryTime.Zone(library.TimeZone)),
            PatronId = loan.PatronId,
            Loans = [loan.ToFact() with { DueAt = loan.ShortenedFrom ?? loan.DueAt }],
            Recall = new RecallFact(request.Reason?.Trim(), dueAt),
        };
        return new ShortenedLoan(loan, changed, notice);
    }
}
