using Comms.Circulation;
using Comms.Common;
using Comms.Notices;
using Comms.Storage;

namespace Comms.Renewals;

/// <summary>
/// Applies the library system's automatic renewal results: a renewed loan's row gets its new due date (the
/// caller then moves its ladder with the renew event), and every result is recorded for the patron's daily
/// digest. The whole post is validated first, so a bad result changes nothing.
/// </summary>
public sealed class RenewalService(LoanService loans, LoanStore store, RenewalResultStore results, TimeProvider time)
{
    public const int MaxResultsPerPost = 1000;
    private static readonly TimeSpan MaxDueAhead = TimeSpan.FromDays(5 * 366);

    /// <summary>The loans whose due date moved (to signal) and what was recorded.</summary>
    public async Task<(IReadOnlyList<Loan> Moved, RenewalResultsOutcome Outcome)> ApplyAsync(string libraryId, RenewalResultsRequest request, CancellationToken cancellationToken = default)
    {
        var items = Validate(request);
        var current = await ReadLoansAsync(libraryId, items, cancellationToken);

        var moved = new List<Loan>();
        var recorded = 0;
        var repeats = 0;
        foreach (var (item, loan) in items.Zip(current))
        {
            var previous = loan.DueAt;
            var renewed = loan;
            if (item.Renewed == true && loan.DueAt != item.DueAt!.Value.ToUniversalTime())
            {
                renewed = await loans.SaveAsync(loan with { DueAt = item.DueAt.Value.ToUniversalTime() }, cancellationToken);
                moved.Add(renewed);
            }

            // A repeat of a renewal finds the row already at the new date; the result it records is the same row.
            var fact = new RenewalResultFact(
                loan.LoanId,
                loan.Title,
                loan.Author,
                loan.Barcode,
                renewed.DueAt,
                previous,
                item.Renewed == true ? null : item.Reason,
                item.Renewed == true && item.FinalRenewal);
            if (await results.TryRecordAsync(libraryId, loan.PatronId, fact, cancellationToken))
            {
                recorded++;
            }
            else
            {
                repeats++;
            }
        }

        var outcome = new RenewalResultsOutcome(
            items.Count(i => i.Renewed == true),
            items.Count(i => i.Renewed != true),
            recorded,
            repeats,
            [.. current.Select(l => l.PatronId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
        return (moved, outcome);
    }

    private async Task<Loan[]> ReadLoansAsync(string libraryId, List<RenewalResultItem> items, CancellationToken cancellationToken)
    {
        var found = new Loan?[items.Count];
        // Read in slices: a post holds up to 1000 loans, and each read is a round trip.
        for (var start = 0; start < items.Count; start += 50)
        {
            var slice = items.Skip(start).Take(50).Select(i => store.GetAsync(libraryId, i.LoanId!, cancellationToken));
            var read = await Task.WhenAll(slice);
            read.CopyTo(found, start);
        }

        var errors = new ValidationErrors();
        for (var i = 0; i < items.Count; i++)
        {
            if (found[i] is null)
            {
                errors.Add($"results[{i}].loanId", $"Loan '{items[i].LoanId}' does not exist in this library.");
            }
            else if (found[i]!.Status != LoanStatus.Active)
            {
                errors.Add($"results[{i}].loanId", $"Loan '{items[i].LoanId}' is {found[i]!.Status.ToString().ToLowerInvariant()}; only a loan still out can be renewed.");
            }
        }

        errors.ThrowIfAny();
        return [.. found.Select(l => l!)];
    }

    private List<RenewalResultItem> Validate(RenewalResultsRequest request)
    {
        var errors = new ValidationErrors();
        var items = request.Results ?? [];
        if (items.Count is 0 or > MaxResultsPerPost)
        {
            errors.Add("results", $"List 1 to {MaxResultsPerPost} results; post a larger run in parts (each patron still gets one digest a day).");
            errors.ThrowIfAny();
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"results[{i}]";
            if (items[i] is not { } item)
            {
                errors.Add(field, "A result object is required.");
                continue;
            }

            if (!TableKeys.IsValidId(item.LoanId))
            {
                errors.Add(field + ".loanId", "Required: letters, digits, '.', '_' or '-', at most 100 characters.");
            }
            else if (!seen.Add(item.LoanId!))
            {
                errors.Add(field + ".loanId", $"Loan '{item.LoanId}' is listed twice.");
            }

            switch (item.Renewed)
            {
                case null:
                    errors.Add(field + ".renewed", "Required: true (renewed to dueAt) or false (not renewed, with a reason).");
                    break;
                case true when item.DueAt is null:
                    errors.Add(field + ".dueAt", "Required for a renewed loan: the new due date.");
                    break;
                case true when item.DueAt <= now || item.DueAt > now + MaxDueAhead:
                    errors.Add(field + ".dueAt", "Must be in the future and at most five years ahead.");
                    break;
                case true when item.Reason is not null:
                    errors.Add(field + ".reason", "Only a loan that was not renewed has a reason.");
                    break;
                case false when item.Reason is null:
                    errors.Add(field + ".reason", "Required for a loan that was not renewed: tooManyRenewals, reserved or patronBlocked.");
                    break;
                case false when item.DueAt is not null || item.FinalRenewal:
                    errors.Add(field + ".dueAt", "A loan that was not renewed keeps its due date: send neither dueAt nor finalRenewal.");
                    break;
            }
        }

        errors.ThrowIfAny();
        return [.. items.Select(i => i!)];
    }
}
