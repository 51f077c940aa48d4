using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Comms.Common;

namespace Comms.Storage;

/// <summary>
/// Stores records of <typeparamref name="T"/> as JSON documents, one row each, partitioned by library so
/// a library's data can be listed, batch-written and purged together.
/// </summary>
public sealed class DocumentTable<T>(CommsTables tables, string tableName) where T : class
{
    public const int BatchSize = CommsTables.BatchSize;

    public async Task<T?> GetAsync(string partition, string id, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tableName);
        var row = await table.GetEntityIfExistsAsync<JsonRow>(partition, id, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is not null ? Deserialize(row.Value) : null;
    }

    /// <summary>Inserts; returns false when a row with this id already exists (nothing is overwritten).</summary>
    public async Task<bool> TryInsertAsync(string partition, string id, T document, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tableName);
        try
        {
            await table.AddEntityAsync(ToRow(partition, id, document), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <param name="mode">Merge keeps the row's other columns (a patron's preferences beside the patron's document).</param>
    public async Task UpsertAsync(string partition, string id, T document, CancellationToken cancellationToken = default, TableUpdateMode mode = TableUpdateMode.Replace)
    {
        var table = await tables.GetAsync(tableName);
        await table.UpsertEntityAsync(ToRow(partition, id, document), mode, cancellationToken);
    }

    /// <summary>Replaces an existing document; returns false when there is none.</summary>
    public async Task<bool> TryReplaceAsync(string partition, string id, T document, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tableName);
        try
        {
            await table.UpdateEntityAsync(ToRow(partition, id, document), ETag.All, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    public async Task<bool> DeleteAsync(string partition, string id, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(tableName);
        var response = await table.DeleteEntityAsync(partition, id, ETag.All, cancellationToken);
        return response.Status != 404;
    }

    /// <summary>Writes every document in transactions of <see cref="BatchSize"/>.</summary>
    public async Task UpsertManyAsync(
        string partition, IEnumerable<(string Id, T Document)> documents, CancellationToken cancellationToken = default, TableUpdateMode mode = TableUpdateMode.Replace)
    {
        var table = await tables.GetAsync(tableName);
        var action = mode == TableUpdateMode.Merge ? TableTransactionActionType.UpsertMerge : TableTransactionActionType.UpsertReplace;
        foreach (var chunk in documents.Chunk(BatchSize))
        {
            var actions = chunk.Select(d => new TableTransactionAction(action, ToRow(partition, d.Id, d.Document)));
            await table.SubmitTransactionAsync(actions, cancellationToken);
        }
    }

    public async Task<Page<T>> ListAsync(string partition, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var tableToken = PageTokens.Unwrap(partition, continuationToken);
        var table = await tables.GetAsync(tableName);
        var pages = table.QueryAsync<JsonRow>(r => r.PartitionKey == partition, maxPerPage: pageSize, cancellationToken: cancellationToken)
            .AsPages(tableToken, pageSize);
        await foreach (var page in pages)
        {
            return new Page<T>([.. page.Values.Select(Deserialize)], PageTokens.Wrap(partition, page.ContinuationToken));
        }

        return new Page<T>([], null);
    }

    /// <summary>Deletes every row of a partition (a library's data when the library is deleted).</summary>
    public Task<int> DeletePartitionAsync(string partition, CancellationToken cancellationToken = default) =>
        tables.DeletePartitionAsync(tableName, partition, cancellationToken);

    private static JsonRow ToRow(string partition, string id, T document) => new()
    {
        PartitionKey = partition,
        RowKey = id,
        Data = JsonSerializer.Serialize(document, CommsJson.Options),
    };

    private static T Deserialize(JsonRow row) =>
        JsonSerializer.Deserialize<T>(row.Data, CommsJson.Options)
        ?? throw new InvalidDataException($"Row {row.PartitionKey}/{row.RowKey} holds no document.");
}

/// <summary>One page of a listing; pass <see cref="ContinuationToken"/> back to get the next.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);
