using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Comms.Common;
using Comms.Storage;

namespace Comms.Circulation;

/// <summary>
/// Loans in Table Storage: partition = library, row = loan id. Table <c>PatronLoans</c> (partition
/// "{libraryId}|{patronId}", row = loan id, keys only) lets a patron's loans be read without scanning the library.
/// </summary>
public sealed class LoanStore(CommsTables tables)
{
    private const string TableName = "Loans";
    private const string PatronIndex = "PatronLoans";
    private readonly DocumentTable<Loan> _loans = new(tables, TableName);

    /// <summary>The loan, read once per <see cref="ReadSnapshot"/> (a digest's claim and its request share it).</summary>
    public Task<Loan?> GetAsync(string libraryId, string loanId, CancellationToken cancellationToken = default) =>
        ReadSnapshot.ReadAsync(SnapshotKey(libraryId, loanId), () => _loans.GetAsync(libraryId, loanId, cancellationToken));

    public async Task<bool> TryInsertAsync(Loan loan, CancellationToken cancellationToken = default)
    {
        ReadSnapshot.Forget(SnapshotKey(loan.LibraryId, loan.LoanId));
        // Index first: a crash in between leaves an index row without a loan, which the query skips; the other
        // order could hide a loan from the patron's report for good. A repeat rewrites the same row.
        var index = await tables.GetAsync(PatronIndex);
        await index.UpsertEntityAsync(new TableEntity(IndexPartition(loan.LibraryId, loan.PatronId), loan.LoanId), TableUpdateMode.Replace, cancellationToken);
        return await _loans.TryInsertAsync(loan.LibraryId, loan.LoanId, loan, cancellationToken);
    }

    public Task<bool> TryReplaceAsync(Loan loan, CancellationToken cancellationToken = default)
    {
        ReadSnapshot.Forget(SnapshotKey(loan.LibraryId, loan.LoanId));
        return _loans.TryReplaceAsync(loan.LibraryId, loan.LoanId, loan, cancellationToken);
    }

    private static string SnapshotKey(string libraryId, string loanId) => $"{TableName}|{libraryId}|{loanId}";

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

    /// <summary>
    /// The ids in the patron's loan index, at most <paramref name="limit"/>, without reading the loans: returned ones
    /// (kept for 90 days) and another patron's id left by a refused insert are among them, which a caller that only
    /// signals running ladders can ignore.
    /// </summary>
    public async Task<IReadOnlyList<string>> ListIndexedIdsForPatronAsync(string libraryId, string patronId, int limit, CancellationToken cancellationToken = default)
    {
        var index = await tables.GetAsync(PatronIndex);
        var ids = new List<string>();
        var partition = IndexPartition(libraryId, patronId);
        await foreach (var row in index.QueryAsync<TableEntity>(r => r.PartitionKey == partition, maxPerPage: Math.Min(limit, 1000), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(row.RowKey);
            if (ids.Count == limit)
            {
                break;
            }
        }

        return ids;
    }

    /// <summary>
    /// Deletes one library's loans returned before <paramref name="cutoff"/> and their patron index rows.
    /// Status and return time live in the document, so the library's loans are streamed and read.
    /// </summary>
    public async Task<int> DeleteReturnedBeforeAsync(string libraryId, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var index = await tables.GetAsync(PatronIndex);
        var returned = TableBatches.WhereAsync(
            table.QueryAsync<JsonRow>(r => r.PartitionKey == libraryId, cancellationToken: cancellationToken),
            row => Read(row) is { Status: LoanStatus.Returned, ReturnedAt: { } returnedAt } && returnedAt < cutoff,
            cancellationToken);
        var deleted = 0;
        await foreach (var batch in TableBatches.ByPartitionAsync(returned, cancellationToken))
        {
            // Index rows first: a loan row left behind by a cut-off run is found again; an index row would not be.
            foreach (var loan in batch.Select(Read))
            {
                using var response = await index.DeleteEntityAsync(IndexPartition(libraryId, loan.PatronId), loan.LoanId, ETag.All, cancellationToken);
            }

            deleted += await TableBatches.DeleteAsync(table, batch, cancellationToken);
        }

        return deleted;
    }

    /// <summary>
    /// Deletes a patron's returned loans (their reading history here) and index rows that lead nowhere.
    /// Loans still out stay: their notice ladders run until the library system returns them.
    /// </summary>
    public async Task<int> DeleteReturnedForPatronAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
    {
        var index = await tables.GetAsync(PatronIndex);
        var partition = IndexPartition(libraryId, patronId);
        var deleted = 0;
        await foreach (var row in index.QueryAsync<TableEntity>(r => r.PartitionKey == partition, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            var loan = await GetAsync(libraryId, row.RowKey, cancellationToken);
            if (loan is { Status: LoanStatus.Active } && loan.PatronId == patronId)
            {
                continue;
            }

            // The loan first, so a retried erasure still finds it through the index row.
            if (loan is not null && loan.PatronId == patronId && await _loans.DeleteAsync(libraryId, loan.LoanId, cancellationToken))
            {
                deleted++;
            }

            using var response = await index.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
        }

        return deleted;
    }

    private static Loan Read(JsonRow row) =>
        JsonSerializer.Deserialize<Loan>(row.Data, CommsJson.Options)
        ?? throw new InvalidDataException($"Loan row {row.PartitionKey}/{row.RowKey} holds no document.");

    private static string IndexPartition(string libraryId, string patronId) => $"{libraryId}|{patronId}";
}
