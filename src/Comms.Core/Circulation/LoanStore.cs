using Comms.Storage;

namespace Comms.Circulation;

/// <summary>Loans in Table Storage: partition = library, row = loan id.</summary>
public sealed class LoanStore(CommsTables tables)
{
    private readonly DocumentTable<Loan> _loans = new(tables, "Loans");

    public Task<Loan?> GetAsync(string libraryId, string loanId, CancellationToken cancellationToken = default) =>
        _loans.GetAsync(libraryId, loanId, cancellationToken);

    public Task<bool> TryInsertAsync(Loan loan, CancellationToken cancellationToken = default) =>
        _loans.TryInsertAsync(loan.LibraryId, loan.LoanId, loan, cancellationToken);

    public Task<bool> TryReplaceAsync(Loan loan, CancellationToken cancellationToken = default) =>
        _loans.TryReplaceAsync(loan.LibraryId, loan.LoanId, loan, cancellationToken);
}
