using Comms.Storage;

namespace Comms.Print;

/// <summary>Table PrintBatches: partition = library id, row = batch id, which sorts newest first.</summary>
public sealed class PrintBatchStore(CommsTables tables)
{
    public const string TableName = "PrintBatches";

    private readonly DocumentTable<PrintBatch> _table = new(tables, TableName);

    /// <summary>A new batch id: newest first in the listing, and safe in a URL and a blob name.</summary>
    public static string NewId(DateTimeOffset createdAt) => TableKeys.NewestFirst(createdAt) + "-" + Guid.NewGuid().ToString("N")[..8];

    public Task<PrintBatch?> GetAsync(string libraryId, string batchId, CancellationToken cancellationToken = default) =>
        TableKeys.IsValidId(batchId) ? _table.GetAsync(libraryId, batchId, cancellationToken) : Task.FromResult<PrintBatch?>(null);

    public Task UpsertAsync(PrintBatch batch, CancellationToken cancellationToken = default) =>
        _table.UpsertAsync(batch.LibraryId, batch.Id, batch, cancellationToken);

    public Task DeleteAsync(PrintBatch batch, CancellationToken cancellationToken = default) =>
        _table.DeleteAsync(batch.LibraryId, batch.Id, cancellationToken);

    /// <summary>The library's batches made before <paramref name="cutoff"/> (row keys sort newest first, so older is greater).</summary>
    public async Task<IReadOnlyList<PrintBatch>> ListMadeBeforeAsync(string libraryId, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var filter = Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {libraryId} and RowKey gt {TableKeys.NewestFirst(cutoff) + "."}");
        var found = new List<PrintBatch>();
        await foreach (var row in table.QueryAsync<JsonRow>(filter, cancellationToken: cancellationToken))
        {
            found.Add(System.Text.Json.JsonSerializer.Deserialize<PrintBatch>(row.Data, Common.CommsJson.Options)!);
        }

        return found;
    }

    public Task<Page<PrintBatch>> ListAsync(string libraryId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        _table.ListAsync(libraryId, pageSize, continuationToken, cancellationToken);
}
