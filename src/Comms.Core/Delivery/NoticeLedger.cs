using Azure;
using Azure.Data.Tables;
using Comms.Storage;

namespace Comms.Delivery;

public enum LedgerState
{
    /// <summary>A worker has taken the notice and is sending it (or died while doing so).</summary>
    Claimed,

    /// <summary>A provider accepted it: never send again.</summary>
    Sent,

    /// <summary>Permanently rejected: never send again.</summary>
    Failed,
}

/// <summary>The ledger row of one notice.</summary>
public sealed class LedgerRow : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;
    public string RowKey { get; set; } = string.Empty;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string State { get; set; } = nameof(LedgerState.Claimed);
    public string Provider { get; set; } = string.Empty;
    public DateTimeOffset ClaimedAt { get; set; }
    public string? ProviderMessageId { get; set; }
    public string? Reason { get; set; }

    /// <summary>
    /// On a Sent row: the id of the email log's Sent row for this notice, so a repeat that finds the log row
    /// missing writes that same row (an insert only one attempt can win) instead of another one.
    /// </summary>
    public string? LogEntryId { get; set; }

    public LedgerState GetState() => Enum.Parse<LedgerState>(State);
}

/// <summary>
/// Exactly-once bookkeeping: a notice is sent only by the worker whose conditional insert created its row.
/// Activity retries, orchestration replays and duplicated requests find the row and stop.
/// </summary>
public sealed class NoticeLedger(CommsTables tables)
{
    public const string TableName = "NoticeLedger";

    // Claims and outcomes of one library's notices sent at the same moment share transactions (one partition).
    private readonly PartitionWriteBatcher _writes = new(tables);

    /// <summary>Claims the notice for <paramref name="provider"/>; returns null when it was claimed, or the existing row.</summary>
    public async Task<LedgerRow?> TryClaimAsync(string libraryId, string noticeId, string provider, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var row = new LedgerRow { PartitionKey = libraryId, RowKey = noticeId, Provider = provider, ClaimedAt = now };
        try
        {
            await _writes.WriteAsync(TableName, new TableTransactionAction(TableTransactionActionType.Add, row)).WaitAsync(cancellationToken);
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var table = await tables.GetAsync(TableName);
            var existing = await table.GetEntityIfExistsAsync<LedgerRow>(libraryId, noticeId, cancellationToken: cancellationToken);
            if (existing.HasValue && existing.Value is not null)
            {
                return existing.Value;
            }

            // Released between our insert and our read: try once more rather than lose the notice.
            return await TryClaimAsync(libraryId, noticeId, provider, now, cancellationToken);
        }
    }

    /// <summary>Takes over a claim left by a crashed attempt; false when someone else got there first.</summary>
    public async Task<bool> TryTakeOverAsync(LedgerRow stale, string provider, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var row = new LedgerRow { PartitionKey = stale.PartitionKey, RowKey = stale.RowKey, Provider = provider, ClaimedAt = now };
        try
        {
            await table.UpdateEntityAsync(row, stale.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>Records which provider is now sending (failover), so crash recovery knows whom to ask.</summary>
    public Task SwitchProviderAsync(string libraryId, string noticeId, string provider, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync(new LedgerRow { PartitionKey = libraryId, RowKey = noticeId, Provider = provider, ClaimedAt = now }, cancellationToken);

    public Task MarkSentAsync(string libraryId, string noticeId, string provider, string? providerMessageId, DateTimeOffset now, string? logEntryId = null, CancellationToken cancellationToken = default) =>
        WriteAsync(new LedgerRow
        {
            PartitionKey = libraryId,
            RowKey = noticeId,
            State = nameof(LedgerState.Sent),
            Provider = provider,
            ClaimedAt = now,
            ProviderMessageId = providerMessageId,
            LogEntryId = logEntryId,
        }, cancellationToken);

    public Task MarkFailedAsync(string libraryId, string noticeId, string provider, string? reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        WriteAsync(new LedgerRow
        {
            PartitionKey = libraryId,
            RowKey = noticeId,
            State = nameof(LedgerState.Failed),
            Provider = provider,
            ClaimedAt = now,
            Reason = reason,
        }, cancellationToken);

    /// <summary>Gives the notice back after retries ran out on a provider-side failure, so a later run can send it.</summary>
    public Task ReleaseAsync(string libraryId, string noticeId, CancellationToken cancellationToken = default) =>
        _writes.WriteAsync(TableName, new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(libraryId, noticeId), ETag.All)).WaitAsync(cancellationToken);

    public async Task<LedgerRow?> GetAsync(string libraryId, string noticeId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var row = await table.GetEntityIfExistsAsync<LedgerRow>(libraryId, noticeId, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>
    /// Deletes one library's rows last written before <paramref name="cutoff"/>. After that a notice with the
    /// same id would be sent again, so the cutoff must lie beyond every retry and re-drive (docs/retention.md).
    /// </summary>
    public async Task<int> DeleteWrittenBeforeAsync(string libraryId, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);

        // Notice ids are hashes, not times, so this is a filtered scan of the partition, done by the service.
        var expired = table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {libraryId} and ClaimedAt lt {cutoff}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken);
        return await TableBatches.DeleteAllAsync(table, expired, cancellationToken);
    }

    private Task WriteAsync(LedgerRow row, CancellationToken cancellationToken) =>
        _writes.WriteAsync(TableName, new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)).WaitAsync(cancellationToken);
}
