using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Comms.Common;
using Comms.Storage;

namespace Comms.Print;

/// <summary>
/// Table PrintItems: partition = library id, row = the item's print ledger id. <c>BatchId</c> is a column ("" while
/// the item waits) so a batch run reads only the waiting items and a batch's items are one filtered query.
/// </summary>
public sealed class PrintItemStore(CommsTables tables)
{
    public const string TableName = "PrintItems";

    /// <summary>Inserts; false when the item is already stored (a retried step), which is then left as it is.</summary>
    public async Task<bool> TryInsertAsync(PrintItem item, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        try
        {
            await table.AddEntityAsync(ToRow(item), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<PrintItem?> GetAsync(string libraryId, string id, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var row = await table.GetEntityIfExistsAsync<PrintItemRow>(libraryId, id, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is not null ? Deserialize(row.Value) : null;
    }

    /// <summary>
    /// The library's items no batch holds yet (of one branch, or every branch when <paramref name="branch"/> is null), at
    /// most <paramref name="max"/>, with their ETags for the claim.
    /// </summary>
    public async Task<IReadOnlyList<(PrintItem Item, ETag ETag)>> ListWaitingAsync(string libraryId, string? branch, int max, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {libraryId} and BatchId eq {string.Empty}");
        if (branch is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Branch eq {branch}");
        }

        var found = new List<(PrintItem, ETag)>();
        await foreach (var row in table.QueryAsync<PrintItemRow>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            found.Add((Deserialize(row), row.ETag));
            if (found.Count >= max)
            {
                break;
            }
        }

        return found;
    }

    public async Task<IReadOnlyList<PrintItem>> ListBatchAsync(string libraryId, string batchId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {libraryId} and BatchId eq {batchId}");
        var items = new List<PrintItem>();
        await foreach (var row in table.QueryAsync<PrintItemRow>(filter, cancellationToken: cancellationToken))
        {
            items.Add(Deserialize(row));
        }

        // One page per item in a stable order: the order they were stored in, then the id.
        return [.. items.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Puts a waiting item into a batch, only if nobody changed it since it was read: two batch runs at once never put
    /// one item on two batches' pages.
    /// </summary>
    public async Task<bool> TryClaimAsync(PrintItem item, ETag etag, string batchId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        try
        {
            await table.UpdateEntityAsync(ToRow(item with { BatchId = batchId }), etag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    public async Task ReplaceAsync(PrintItem item, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        await table.UpsertEntityAsync(ToRow(item), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// Deletes the patron's printed notices (patron erasure), waiting or batched; returns how many. The PDFs of batches
    /// already made keep their pages until the retention purge takes the batch.
    /// </summary>
    public async Task<int> DeletePatronAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {libraryId} and PatronId eq {patronId}");
        return await TableBatches.DeleteAllAsync(table, table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken), cancellationToken);
    }

    /// <summary>Deletes the items of one batch (the retention purge); returns how many.</summary>
    public async Task<int> DeleteBatchAsync(string libraryId, string batchId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {libraryId} and BatchId eq {batchId}");
        return await TableBatches.DeleteAllAsync(table, table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken), cancellationToken);
    }

    private static PrintItemRow ToRow(PrintItem item) => new()
    {
        PartitionKey = item.LibraryId,
        RowKey = item.Id,
        BatchId = item.BatchId ?? string.Empty,
        Branch = item.Branch ?? string.Empty,
        PatronId = item.PatronId,
        Data = JsonSerializer.Serialize(item, CommsJson.Options),
    };

    private static PrintItem Deserialize(PrintItemRow row) =>
        JsonSerializer.Deserialize<PrintItem>(row.Data, CommsJson.Options) ?? throw new InvalidDataException($"Print item {row.RowKey} is empty.");

    private sealed class PrintItemRow : ITableEntity
    {
        public string PartitionKey { get; set; } = string.Empty;
        public string RowKey { get; set; } = string.Empty;
        public DateTimeOffset? Timestamp { get; set; }
        public ETag ETag { get; set; }
        public string BatchId { get; set; } = string.Empty;
        public string Branch { get; set; } = string.Empty;
        public string? PatronId { get; set; }
        public string Data { get; set; } = string.Empty;
    }
}
