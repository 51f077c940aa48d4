using Azure.Data.Tables;
using Comms.Storage;

namespace Comms.Circulation;

/// <summary>
/// Loans in Table Storage: partition = library, row = loan id. Table <c>PatronLoans</c> (partition
/// "{libraryId}|{patronId}", row = loan id, keys only) lets a patron's loans be read without scanning the library.
/// </summary>
public sealed class LoanStore(CommsTables tables)
{
    private const string PatronIndex = "PatronLoans";
    private readonly DocumentTable<Loan> _loans = new(tables, "Loans");

    public Task<Loan?> GetAsync(string libraryId, string loanId, CancellationToken cancellationToken = default) =>
        _loans.GetAsync(libraryId, loanId, cancellationToken);

    public async Task<bool> TryInsertAsync(Loan loan, CancellationToken cancellationToken = default)
    {
        // Index first: a crash in between leaves an index row without a loan, which the query skips; the other
        // order could hide a loan from the patron's report for good. A repeat rewrites the same row.
        var index = await tables.GetAsync(PatronIndex);
        await index.UpsertEntityAsync(new TableEntity(IndexPartition(loan.LibraryId, loan.PatronId), loan.LoanId), TableUpdateMode.Replace, cancellationToken);
        return await _loans.TryInsertAsync(loan.LibraryId, loan.LoanId, loan, cancellationToken);
    }

    public Task<bool> TryReplaceAsync(Loan loan, CancellationToken cancellationToken = default) =>
        _loans.TryReplaceAsync(loan.LibraryId, loan.LoanId, loan, cancellationToken);

    /// <summary>The patron's loans that are still out, soonest due first.</summary>
    public async Task<IReadOnlyList<Loan>> ListActiveForPatronAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
    {
        var index = await tables.GetAsync(PatronIndex);
        var partition = IndexPartition(libraryId, patronId);
        var active = new List<Loan>();
        await foreach (var row in index.QueryAsync<TableEntity>(r => r.PartitionKey == partition, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            // The loan id may belong to another patron's earlier loan (a refused insert): trust the loan row.
            if (await GetAsync(libraryId, row.RowKey, cancellationToken) is { Status: LoanStatus.Active } loan && loan.PatronId == patronId)
            {
                active.Add(loan);
            }
        }

        return [.. active.OrderBy(l => l.DueAt).ThenBy(l => l.Title, StringComparer.CurrentCulture)];
    }

    private static string IndexPartition(string libraryId, string patronId) => $"{libraryId}|{patronId}";
}
