using Azure;
using Azure.Data.Tables;
using Comms.Storage;

namespace Comms.Outbox;

/// <summary>
/// The outbox rows (partition = library, row = notice id), written with optimistic concurrency so a delivery
/// attempt and a staff cancel never both win; plus one small row per recipient ("ledger-{ledger id}") that
/// leads a provider report about that recipient back to its notice.
/// </summary>
public sealed class OutboxStore(CommsTables tables)
{
    public const string TableName = "OutboxNotices";
    private const string LedgerPrefix = "ledger-";

    public async Task<(OutboxNotice Notice, ETag ETag)?> GetAsync(string libraryId, string noticeId, CancellationToken cancellationToken = default)
    {
        if (!TableKeys.IsValidId(noticeId) || noticeId.StartsWith(LedgerPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var table = await tables.GetAsync(TableName);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(libraryId, noticeId, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } entity ? (ChunkedJson.FromEntity<OutboxNotice>(entity), entity.ETag) : null;
    }

    /// <summary>Inserts; false when the notice is already there (a repeated request).</summary>
    public async Task<bool> TryInsertAsync(OutboxNotice notice, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        try
        {
            await table.AddEntityAsync(ToEntity(notice), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Replaces the row if nobody changed it since <paramref name="etag"/>; false when someone did.</summary>
    public async Task<bool> TryReplaceAsync(OutboxNotice notice, ETag etag, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        try
        {
            await table.UpdateEntityAsync(ToEntity(notice), etag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>Ids of a library's notices still queued or being sent (at most <paramref name="max"/>): what is in flight.</summary>
    public async Task<IReadOnlyList<string>> ListPendingAsync(string libraryId, int max, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {libraryId} and (State eq {nameof(NoticeState.Queued)} or State eq {nameof(NoticeState.Sending)})");
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: max, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(row.RowKey);
            if (ids.Count >= max)
            {
                break;
            }
        }

        return ids;
    }

    /// <summary>
    /// Deletes a library's outbox rows (notices and their recipient rows) last written before <paramref name="cutoff"/>:
    /// the retention purge, on the ledger's schedule. A row still queued is rewritten at every attempt, so it is never this old.
    /// </summary>
    public async Task<int> DeleteWrittenBeforeAsync(string libraryId, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var old = table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {libraryId} and Timestamp lt {cutoff}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken);
        return await TableBatches.DeleteAllAsync(table, old, cancellationToken);
    }

    /// <summary>Deletes every notice of an erased patron, encrypted data and all.</summary>
    public async Task<int> DeletePatronAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var rows = table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {libraryId} and PatronId eq {patronId}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken);
        return await TableBatches.DeleteAllAsync(table, rows, cancellationToken);
    }

    /// <summary>The document in chunks, plus its state as a column of its own so pending notices can be queried.</summary>
    private static TableEntity ToEntity(OutboxNotice notice)
    {
        var entity = ChunkedJson.ToEntity(notice.LibraryId, notice.Id, notice);
        entity["State"] = notice.State.ToString();
        entity["PatronId"] = notice.PatronId;
        return entity;
    }

    /// <summary>Remembers which notice each recipient's ledger id belongs to (idempotent).</summary>
    public async Task IndexRecipientsAsync(string libraryId, string noticeId, IEnumerable<string> ledgerIds, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var actions = ledgerIds.Distinct(StringComparer.Ordinal)
            .Select(id => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(libraryId, LedgerPrefix + id) { ["Notice"] = noticeId }))
            .ToList();
        foreach (var chunk in actions.Chunk(CommsTables.BatchSize))
        {
            await table.SubmitTransactionAsync(chunk, cancellationToken);
        }
    }

    /// <summary>The outbox notice a recipient's ledger id belongs to; null for notices that never went through the outbox.</summary>
    public async Task<string?> FindByLedgerIdAsync(string libraryId, string ledgerId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(libraryId, LedgerPrefix + ledgerId, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value?.GetString("Notice") : null;
    }
}
