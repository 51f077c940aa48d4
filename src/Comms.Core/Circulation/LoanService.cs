using Comms.Common;
using Comms.Libraries;
using Comms.Storage;

namespace Comms.Circulation;

/// <summary>Validates loan events and keeps the loan rows; starting and signalling orchestrations is the caller's.</summary>
public sealed class LoanService(LoanStore loans, LibraryStore libraries, TimeProvider time)
{
    public const int MaxLoansPerSession = 100;
    private const int MaxTextLength = 500;
    private static readonly TimeSpan MaxDueAhead = TimeSpan.FromDays(5 * 366);

    public async Task<IReadOnlyList<IssuedLoan>> IssueAsync(string libraryId, IssueLoansRequest request, CancellationToken cancellationToken = default)
    {
        var items = Validate(request);
        _ = await libraries.GetAsync(libraryId, cancellationToken) ?? throw new NotFoundException($"Library '{libraryId}' does not exist.");
        var now = time.GetUtcNow();
        var results = new List<IssuedLoan>(items.Count);
        foreach (var item in items)
        {
            var loan = new Loan
            {
                LibraryId = libraryId,
                LoanId = item.LoanId!,
                PatronId = request.PatronId!,
                Title = item.Title!.Trim(),
                Author = item.Author?.Trim(),
                Barcode = item.Barcode?.Trim(),
                DueAt = item.DueAt!.Value.ToUniversalTime(),
                IssuedAt = now,
            };
            // Posting the same loan again is a retry by the library system: keep the first, start nothing new.
            results.Add(await loans.TryInsertAsync(loan, cancellationToken)
                ? new IssuedLoan(loan, true)
                : new IssuedLoan(await loans.GetAsync(libraryId, loan.LoanId, cancellationToken) ?? loan, false));
        }

        return results;
    }

    public async Task<Loan> GetAsync(string libraryId, string loanId, CancellationToken cancellationToken = default)
    {
        if (!TableKeys.IsValidId(loanId))
        {
            throw new NotFoundException($"Loan '{loanId}' does not exist.");
        }

        return await loans.GetAsync(libraryId, loanId, cancellationToken) ?? throw new NotFoundException($"Loan '{loanId}' does not exist in library '{libraryId}'.");
    }

    public async Task<Loan> RenewAsync(string libraryId, string loanId, RenewLoanRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        CheckDue(errors, "dueAt", request.DueAt);
        errors.ThrowIfAny();
        var loan = await GetActiveAsync(libraryId, loanId, "renewed", cancellationToken);
        return await SaveAsync(loan with { DueAt = request.DueAt!.Value.ToUniversalTime() }, cancellationToken);
    }

    public async Task<Loan> ReturnAsync(string libraryId, string loanId, CancellationToken cancellationToken = default)
    {
        var loan = await GetActiveAsync(libraryId, loanId, "returned again", cancellationToken);
        return await SaveAsync(loan with { Status = LoanStatus.Returned, ReturnedAt = time.GetUtcNow() }, cancellationToken);
    }

    public async Task<Loan> RecallAsync(string libraryId, string loanId, RecallLoanRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        if (request.NewDueAt is not null)
        {
            CheckDue(errors, "newDueAt", request.NewDueAt);
        }

        if (request.Reason is { Length: > MaxTextLength })
        {
            errors.Add("reason", $"Use at most {MaxTextLength} characters.");
        }

        errors.ThrowIfAny();
        var loan = await GetActiveAsync(libraryId, loanId, "recalled", cancellationToken);
        return request.NewDueAt is { } due ? await SaveAsync(loan with { DueAt = due.ToUniversalTime() }, cancellationToken) : loan;
    }

    private async Task<Loan> GetActiveAsync(string libraryId, string loanId, string verb, CancellationToken cancellationToken)
    {
        var loan = await GetAsync(libraryId, loanId, cancellationToken);
        if (loan.Status == LoanStatus.Returned)
        {
            throw new ConflictException(
                $"Loan '{loanId}' was returned at {loan.ReturnedAt:O}; it cannot be {verb}. Issue a new loan id for a new checkout.");
        }

        return loan;
    }

    private async Task<Loan> SaveAsync(Loan loan, CancellationToken cancellationToken) =>
        await loans.TryReplaceAsync(loan, cancellationToken) ? loan : throw new NotFoundException($"Loan '{loan.LoanId}' does not exist.");

    private List<LoanItem> Validate(IssueLoansRequest request)
    {
        var errors = new ValidationErrors();
        if (!TableKeys.IsValidId(request.PatronId))
        {
            errors.Add("patronId", "Required: letters, digits, '.', '_' or '-', at most 100 characters.");
        }

        List<LoanItem> items;
        if (request.Loans is not null)
        {
            if (request.LoanId is not null || request.Title is not null || request.DueAt is not null)
            {
                errors.Add("loans", "Send either one loan (loanId, title, dueAt) or a checkout session (loans), not both.");
            }

            if (request.Loans.Count is 0 or > MaxLoansPerSession)
            {
                errors.Add("loans", $"A checkout session lists 1 to {MaxLoansPerSession} loans.");
            }

            items = [.. request.Loans];
        }
        else
        {
            items = [new LoanItem { LoanId = request.LoanId, Title = request.Title, Author = request.Author, Barcode = request.Barcode, DueAt = request.DueAt }];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var prefix = request.Loans is null ? string.Empty : $"loans[{i}].";
            var item = items[i];
            if (item is null)
            {
                errors.Add($"loans[{i}]", "A loan object is required.");
                continue;
            }

            if (!TableKeys.IsValidId(item.LoanId))
            {
                errors.Add(prefix + "loanId", "Required: letters, digits, '.', '_' or '-', at most 100 characters.");
            }
            else if (!seen.Add(item.LoanId!))
            {
                errors.Add(prefix + "loanId", $"Loan '{item.LoanId}' is listed twice.");
            }

            // The same text rules as a preview's data: a line break in a title is refused here too, not sent.
            Text.Required(item.Title, prefix + "title", MaxTextLength, errors);
            Text.Optional(item.Author, prefix + "author", MaxTextLength, errors);
            Text.Optional(item.Barcode, prefix + "barcode", 100, errors);

            CheckDue(errors, prefix + "dueAt", item.DueAt);
        }

        errors.ThrowIfAny();
        return items;
    }

    private void CheckDue(ValidationErrors errors, string field, DateTimeOffset? dueAt)
    {
        if (dueAt is null)
        {
            errors.Add(field, "Required: an ISO 8601 date-time with offset, e.g. 2026-03-14T17:00:00Z.");
        }
        else if (dueAt.Value > time.GetUtcNow() + MaxDueAhead || dueAt.Value.Year < 2000)
        {
            errors.Add(field, "Use a date-time after 2000 and at most five years ahead.");
        }
    }
}
