using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;

namespace Comms.Storage;

/// <summary>
/// Deletes rows a query streams, in table transactions (at most <see cref="CommsTables.BatchSize"/> rows, all of
/// one partition), so a purge holds one batch in memory however large the table is.
/// </summary>
public static class TableBatches
{
    /// <summary>Groups streamed rows into runs of one partition of at most <see cref="CommsTables.BatchSize"/>.</summary>
    public static async IAsyncEnumerable<IReadOnlyList<T>> ByPartitionAsync<T>(IAsyncEnumerable<T> rows, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : ITableEntity
    {
        var batch = new List<T>(CommsTables.BatchSize);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            if (batch.Count == CommsTables.BatchSize || (batch.Count > 0 && batch[0].PartitionKey != row.PartitionKey))
            {
                yield return batch;
                batch = new List<T>(CommsTables.BatchSize);
            }

            batch.Add(row);
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>Deletes one batch of one partition; returns how many rows were still there to delete.</summary>
    public static async Task<int> DeleteAsync<T>(TableClient table, IReadOnlyList<T> batch, CancellationToken cancellationToken = default)
        where T : ITableEntity
    {
        if (batch.Count == 1)
        {
            return await DeleteOneAsync(table, batch[0], cancellationToken);
        }

        try
        {
            await table.SubmitTransactionAsync(batch.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)), cancellationToken);
            return batch.Count;
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            // A transaction is all or nothing, and one row went meanwhile (an earlier run cut off after the
            // server applied it, or a patron erasure): delete the rest one by one.
            var deleted = 0;
            foreach (var row in batch)
            {
                deleted += await DeleteOneAsync(table, row, cancellationToken);
            }

            return deleted;
        }
    }

    /// <summary>Deletes every streamed row; returns how many were deleted.</summary>
    public static async Task<int> DeleteAllAsync<T>(TableClient table, IAsyncEnumerable<T> rows, CancellationToken cancellationToken = default)
        where T : ITableEntity
    {
        var deleted = 0;
        await foreach (var batch in ByPartitionAsync(rows, cancellationToken))
        {
            deleted += await DeleteAsync(table, batch, cancellationToken);
        }

        return deleted;
    }

    /// <summary>Keeps the streamed items that <paramref name="keep"/> accepts, so a purge can filter on what only the document knows.</summary>
    public static async IAsyncEnumerable<T> WhereAsync<T>(IAsyncEnumerable<T> rows, Func<T, bool> keep, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            if (keep(row))
            {
                yield return row;
            }
        }
    }

    // The table service answers 404 for a row that is already gone; the client returns it rather than throwing.
    private static async Task<int> DeleteOneAsync(TableClient table, ITableEntity row, CancellationToken cancellationToken)
    {
        using var response = await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
        return response.Status == 404 ? 0 : 1;
    }
}
