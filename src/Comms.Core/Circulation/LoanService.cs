using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Scenarios;
using Comms.Storage;
using Microsoft.Extensions.Options;

namespace Comms.Circulation;

/// <summary>Validates loan events and keeps the loan rows; starting and signalling orchestrations is the caller's.</summary>
public sealed class LoanService(LoanStore loans, LibraryStore libraries, PatronStore patrons, IOptions<CirculationOptions> options, TimeProvider time)
{
    public const int MaxLoansPerSession = 100;
    private const int MaxTextLength = 500;
    private static readonly TimeSpan MaxDueAhead = TimeSpan.FromDays(5 * 366);

    public async Task<IReadOnlyList<IssuedLoan>> IssueAsync(string libraryId, IssueLoansRequest request, CancellationToken cancellationToken = default)
    {
        var items = Validate(request);
        _ = await libraries.GetAsync(libraryId, cancellationToken) ?? throw new NotFoundException($"Library '{libraryId}' does not exist.");
        _ = await patrons.GetAsync(libraryId, request.PatronId!, cancellationToken)
            ?? throw new NotFoundException($"Patron '{request.PatronId}' does not exist in library '{libraryId}'. Add the patron (PUT /api/libraries/{libraryId}/patrons/{request.PatronId}) before issuing loans to them.");
        var now = time.GetUtcNow();
        var issued = items.Select(item => new Loan
        {
            LibraryId = libraryId,
            LoanId = item.LoanId!,
            PatronId = request.PatronId!,
            Title = item.Title!.Trim(),
            Author = item.Author?.Trim(),
            Barcode = item.Barcode?.Trim(),
            DueAt = item.DueAt!.Value.ToUniversalTime(),
            IssuedAt = now,
            LastNoticeSent = item.LastNoticeSent,
            ReplacementCost = item.ReplacementCost,
            LostFee = item.LostFee,
        }).ToList();

        // Posting the same loan again is a retry by the library system: keep the first, start nothing new. The
        // same id with other content is a different loan: refuse the whole post before storing any of it.
        // Read together: a checkout session holds up to 100 loans, and each read is a round trip.
        var existing = await Task.WhenAll(issued.Select(loan => loans.GetAsync(libraryId, loan.LoanId, cancellationToken)));
        foreach (var (stored, loan) in existing.Zip(issued))
        {
            ThrowIfDifferent(stored, loan);
        }

        var results = new List<IssuedLoan>(issued.Count);
        foreach (var loan in issued)
        {
            if (await loans.TryInsertAsync(loan, cancellationToken))
            {
                results.Add(new IssuedLoan(loan, true));
                continue;
            }

            // Stored in between by a concurrent post.
            var stored = await loans.GetAsync(libraryId, loan.LoanId, cancellationToken) ?? loan;
            ThrowIfDifferent(stored, loan);
            results.Add(new IssuedLoan(stored, false));
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
        CheckDue(errors, "dueAt", request.DueAt, inFuture: true);
        errors.ThrowIfAny();
        var loan = await GetActiveAsync(libraryId, loanId, "renewed", cancellationToken);
        return await SaveAsync(loan with { DueAt = request.DueAt!.Value.ToUniversalTime() }, cancellationToken);
    }

    public async Task<Loan> ReturnAsync(string libraryId, string loanId, CancellationToken cancellationToken = default)
    {
        // A lost item that comes back is returned too; the caller tells the patron the charge was adjusted.
        var loan = await GetActiveAsync(libraryId, loanId, "returned again", cancellationToken, lostAllowed: true);
        return await SaveAsync(loan with { Status = LoanStatus.Returned, ReturnedAt = time.GetUtcNow() }, cancellationToken);
    }

    /// <summary>
    /// Records a recall. With <c>newDueAt</c> the loan is due then. Without it the reader is asked to return the
    /// item within the library's <see cref="NoticeTiming.RecallReturnDays"/> (at the send time of an open day):
    /// the due date moves there unless the loan is due sooner, in which case it stays, and an overdue loan keeps
    /// its ladder while the notice asks for it back by that date.
    /// </summary>
    public async Task<LoanRecall> RecallAsync(string libraryId, string loanId, RecallLoanRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        if (request.NewDueAt is not null)
        {
            CheckDue(errors, "newDueAt", request.NewDueAt, inFuture: true);
        }

        if (request.Reason is { Length: > MaxTextLength })
        {
            errors.Add("reason", $"Use at most {MaxTextLength} characters.");
        }

        errors.ThrowIfAny();
        var loan = await GetActiveAsync(libraryId, loanId, "recalled", cancellationToken);
        if (request.NewDueAt is { } due)
        {
            return new LoanRecall(await SaveAsync(loan with { DueAt = due.ToUniversalTime() }, cancellationToken), due.ToUniversalTime(), DueMoved: true);
        }

        var library = await libraries.GetAsync(libraryId, cancellationToken) ?? throw new NotFoundException($"Library '{libraryId}' does not exist.");
        var now = time.GetUtcNow();
        var returnBy = LoanLadder.DaysFrom(LadderPolicy.From(library, options.Value.DayLength), now, library.Timing.RecallReturnDays).FireAt;
        if (loan.DueAt <= returnBy)
        {
            return new LoanRecall(loan, loan.DueAt > now ? loan.DueAt : returnBy, DueMoved: false);
        }

        return new LoanRecall(await SaveAsync(loan with { DueAt = returnBy }, cancellationToken), returnBy, DueMoved: true);
    }

    /// <summary>A repeat must carry what the stored loan was issued with; anything else is a 409 naming the fields that differ.</summary>
    private static void ThrowIfDifferent(Loan? stored, Loan posted)
    {
        if (stored is null)
        {
            return;
        }

        var differ = new List<string>();
        AddIf(stored.PatronId != posted.PatronId, "patronId");
        AddIf(stored.Title != posted.Title, "title");
        AddIf(stored.Author != posted.Author, "author");
        AddIf(stored.Barcode != posted.Barcode, "barcode");
        AddIf(stored.DueAt != posted.DueAt, "dueAt");
        AddIf(stored.LastNoticeSent != posted.LastNoticeSent, "lastNoticeSent");
        AddIf(stored.ReplacementCost != posted.ReplacementCost, "replacementCost");
        AddIf(stored.LostFee != posted.LostFee, "lostFee");
        if (differ.Count > 0)
        {
            throw new ConflictException(
                $"Loan '{posted.LoanId}' already exists with a different {string.Join(", ", differ)}; nothing was changed. "
                + "Use renew or recall to change a due date, or a new loan id for a new checkout.");
        }

        void AddIf(bool different, string field)
        {
            if (different)
            {
                differ.Add(field);
            }
        }
    }

    internal async Task<Loan> GetActiveAsync(string libraryId, string loanId, string verb, CancellationToken cancellationToken, bool lostAllowed = false)
    {
        var loan = await GetAsync(libraryId, loanId, cancellationToken);
        if (loan.Status == LoanStatus.Returned)
        {
            throw new ConflictException(
                $"Loan '{loanId}' was returned at {loan.ReturnedAt:O}; it cannot be {verb}. Issue a new loan id for a new checkout.");
        }

        if (loan.Status == LoanStatus.Lost && !lostAllowed)
        {
            throw new ConflictException($"Loan '{loanId}' was declared lost at {loan.LostAt:O}; it cannot be {verb}. Return it, or issue a new loan id.");
        }

        return loan;
    }

    internal async Task<Loan> SaveAsync(Loan loan, CancellationToken cancellationToken) =>
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
            if (request.LoanId is not null || request.Title is not null || request.DueAt is not null || request.LastNoticeSent is not null
                || request.ReplacementCost is not null || request.LostFee is not null)
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
            items = [new LoanItem
            {
                LoanId = request.LoanId, Title = request.Title, Author = request.Author, Barcode = request.Barcode, DueAt = request.DueAt,
                LastNoticeSent = request.LastNoticeSent, ReplacementCost = request.ReplacementCost, LostFee = request.LostFee,
            }];
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
            if (item.LastNoticeSent is not null && !(ScenarioKey.TryParse(item.LastNoticeSent, out var last) && LoanLadder.IsLadderStep(last)))
            {
                errors.Add(prefix + "lastNoticeSent", "A step of the notice ladder: pre-overdue, overdue or escalation-1 to escalation-10.");
            }

            ChargeAmounts.Check(item.ReplacementCost, prefix + "replacementCost", errors);
            ChargeAmounts.Check(item.LostFee, prefix + "lostFee", errors);
        }

        errors.ThrowIfAny();
        return items;
    }

    // A loan may be issued already overdue (an import from another system); a renew or recall moves the due
    // date forward, and one in the past would plan a ladder whose steps are all behind it.
    private void CheckDue(ValidationErrors errors, string field, DateTimeOffset? dueAt, bool inFuture = false)
    {
        if (dueAt is null)
        {
            errors.Add(field, "Required: an ISO 8601 date-time with offset, e.g. 2026-03-14T17:00:00Z.");
        }
        else if (inFuture && dueAt.Value <= time.GetUtcNow())
        {
            errors.Add(field, "Must be in the future.");
        }
        else if (dueAt.Value > time.GetUtcNow() + MaxDueAhead || dueAt.Value.Year < 2000)
        {
            errors.Add(field, "Use a date-time after 2000 and at most five years ahead.");
        }
    }
}
