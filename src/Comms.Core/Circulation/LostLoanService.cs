using Comms.Common;

namespace Comms.Circulation;

/// <summary>POST …/loans/{loanId}/lost body: the charges, when the loan was issued without them or they changed.</summary>
public sealed record DeclareLostRequest
{
    public decimal? ReplacementCost { get; init; }
    public decimal? LostFee { get; init; }
}

/// <summary>A loan declared lost, and whether this call changed it (false: a repeat of the same declaration).</summary>
public sealed record LostLoan(Loan Loan, bool Changed);

/// <summary>
/// Moves loans to lost: by the library system's event, or by the ladder's last step. The charges are the library
/// system's; a lost loan's ladder ends, and a later return adjusts the charge (see docs/charges.md).
/// </summary>
public sealed class LostLoanService(LoanService loans, TimeProvider time)
{
    public async Task<LostLoan> DeclareLostAsync(string libraryId, string loanId, DeclareLostRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        ChargeAmounts.Check(request.ReplacementCost, "replacementCost", errors);
        ChargeAmounts.Check(request.LostFee, "lostFee", errors);
        errors.ThrowIfAny();

        var loan = await loans.GetActiveAsync(libraryId, loanId, "declared lost", cancellationToken, lostAllowed: true);
        var cost = request.ReplacementCost ?? loan.ReplacementCost;
        var fee = request.LostFee ?? loan.LostFee;
        if (loan.Status == LoanStatus.Lost)
        {
            // A retry of the same declaration changes nothing; other charges are the library system's mistake to see.
            return cost == loan.ReplacementCost && fee == loan.LostFee
                ? new LostLoan(loan, Changed: false)
                : throw new ConflictException($"Loan '{loanId}' was declared lost at {loan.LostAt:O} with other charges; nothing was changed.");
        }

        var lost = loan with { Status = LoanStatus.Lost, LostAt = time.GetUtcNow(), ReplacementCost = cost, LostFee = fee };
        return new LostLoan(await loans.SaveAsync(lost, cancellationToken), Changed: true);
    }

    /// <summary>The ladder's declared-lost step: a loan still out becomes lost as of the step; anything else is left as it is.</summary>
    public async Task MarkLostByLadderAsync(string libraryId, string loanId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var loan = await loans.GetAsync(libraryId, loanId, cancellationToken);
        if (loan.Status == LoanStatus.Active)
        {
            await loans.SaveAsync(loan with { Status = LoanStatus.Lost, LostAt = at }, cancellationToken);
        }
    }
}
