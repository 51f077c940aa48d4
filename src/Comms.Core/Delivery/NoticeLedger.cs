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

    /// <summary>
    /// On a Claimed row written by an email send: which attempt holds it (a fresh id per attempt), so the holder can
    /// renew its claim and tell its own claim from one another attempt has taken over since.
    /// </summary>
    public string? Holder { get; set; }

    /// <summary>When the holder last renewed the claim; null until the first renewal.</summary>
    public DateTimeOffset? RenewedAt { get; set; }

    public LedgerState GetState() => Enum.Parse<LedgerState>(State);

    /// <summary>Where the claim's lease runs from: its last renewal, else when it was claimed.</summary>
    public DateTimeOffset LeaseStart() => RenewedAt ?? ClaimedAt;
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

    /// <summary>
    /// Claims the notice for <paramref name="provider"/> on behalf of <paramref name="holder"/> (null: a claim that is never
    /// renewed); returns null when it was claimed, or the existing row.
    /// </summary>
    public async Task<LedgerRow?> TryClaimAsync(string libraryId, string noticeId, string provider, DateTimeOffset now, string? holder = null, CancellationToken cancellationToken = default)
    {
        var row = new LedgerRow { PartitionKey = libraryId, RowKey = noticeId, Provider = provider, ClaimedAt = now, Holder = holder };
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
            return await TryClaimAsync(libraryId, noticeId, provider, now, holder, cancellationToken);
        }
    }

    /// <summary>Takes over a claim left by a crashed attempt for <paramref name="holder"/>; false when someone else got there first.</summary>
    public async Task<bool> TryTakeOverAsync(LedgerRow stale, string provider, DateTimeOffset now, string holder, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var row = new LedgerRow { PartitionKey = stale.PartitionKey, RowKey = stale.RowKey, Provider = provider, ClaimedAt = now, Holder = holder };
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

    /// <summary>
    /// Renews <paramref name="holder"/>'s claim from <paramref name="now"/>, and with <paramref name="provider"/> records
    /// which provider is now sending (failover), so crash recovery knows whom to ask. The write is conditional on the row
    /// read (its ETag): false, and nothing written, when the notice is no longer claimed by this holder (taken over,
    /// settled or released by another attempt), so a holder can never win back a claim it has lost.
    /// </summary>
    public async Task<bool> TryRenewAsync(string libraryId, string noticeId, string holder, DateTimeOffset now, string? provider = null, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var read = await table.GetEntityIfExistsAsync<LedgerRow>(libraryId, noticeId, cancellationToken: cancellationToken);
        if (!read.HasValue || read.Value is not { } row || row.GetState() != LedgerState.Claimed || row.Holder != holder)
        {
            return false;
        }

        row.RenewedAt = now;
        row.Provider = provider ?? row.Provider;
        try
        {
            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>Gives the notice back if <paramref name="holder"/> still holds it; a claim another attempt has taken stays.</summary>
    public async Task ReleaseIfHeldAsync(string libraryId, string noticeId, string holder, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var read = await table.GetEntityIfExistsAsync<LedgerRow>(libraryId, noticeId, cancellationToken: cancellationToken);
        if (!read.HasValue || read.Value is not { } row || row.GetState() != LedgerState.Claimed || row.Holder != holder)
        {
            return;
        }

        try
        {
            await table.DeleteEntityAsync(libraryId, noticeId, row.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            // Taken over or settled since the read: no longer ours to give back.
        }
    }

    public Task MarkSentAsync(string libraryId, string noticeId, string provider, string? providerMessageId, DateTimeOffset now, string? logEntryId = null, CancellationToken cancellationToken = default) =>
        WriteAsync(SentRow(libraryId, noticeId, provider, providerMessageId, now, logEntryId), cancellationToken);

    private static LedgerRow SentRow(string libraryId, string noticeId, string provider, string? providerMessageId, DateTimeOffset now, string? logEntryId) => new()
    {
        PartitionKey = libraryId,
        RowKey = noticeId,
        State = nameof(LedgerState.Sent),
        Provider = provider,
        ClaimedAt = now,
        ProviderMessageId = providerMessageId,
        LogEntryId = logEntryId,
    };

    /// <summary>
    /// Records a send that a provider deduplicating by the message key accepted, unless another attempt has recorded it
    /// first, and returns the Sent row that stands: this one, or the one written first (compare its
    /// <see cref="LedgerRow.ProviderMessageId"/>). Through such a provider a repeat takes a claim over at once, so a
    /// live attempt already inside its provider call may be overtaken; both then send the one message the provider
    /// keeps, and both come here. Every write is conditional on the row just read (its ETag, or an insert when the
    /// claim was given back meanwhile), so of all the attempts on one notice exactly one writes the Sent row and the
    /// others read it, and its <see cref="LedgerRow.LogEntryId"/> names the one Sent log row they all record.
    /// </summary>
    public async Task<LedgerRow> RecordSentOnceAsync(
        string libraryId, string noticeId, string provider, string? providerMessageId, DateTimeOffset now, string logEntryId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        for (var tries = 1; ; tries++)
        {
            var read = await table.GetEntityIfExistsAsync<LedgerRow>(libraryId, noticeId, cancellationToken: cancellationToken);
            var existing = read.HasValue ? read.Value : null;
            if (existing?.GetState() == LedgerState.Sent)
            {
                return existing;
            }

            // Claimed by this attempt or by one that overtook it, Failed by an attempt the provider answered otherwise,
            // or gone (given back after a failure): the message went, so the notice is Sent.
            var row = SentRow(libraryId, noticeId, provider, providerMessageId, now, logEntryId);
            try
            {
                if (existing is null)
                {
                    await table.AddEntityAsync(row, cancellationToken);
                }
                else
                {
                    await table.UpdateEntityAsync(row, existing.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return row;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 or 404 && tries < 20)
            {
                // Another attempt wrote the row since the read (renewed, took over, settled, gave back or claimed it): read again.
            }
        }
    }

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
