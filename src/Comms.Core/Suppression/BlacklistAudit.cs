using Azure.Data.Tables;
using Comms.Storage;

namespace Comms.Suppression;

/// <summary>Who removed which address from the blacklist, and when, and what the entry said.</summary>
public sealed record BlacklistAuditEntry(string LibraryId, string Address, string Action, string By, DateTimeOffset At, string PreviousReason, string PreviousSource);

/// <summary>Table BlacklistAudit: partition = library, newest first. Written after every staff removal.</summary>
public sealed class BlacklistAudit(CommsTables tables)
{
    private const string TableName = "BlacklistAudit";
    private readonly DocumentTable<BlacklistAuditEntry> _audit = new(tables, TableName);

    public async Task<BlacklistAuditEntry> RecordAsync(string libraryId, BlacklistEntry removed, string by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var entry = new BlacklistAuditEntry(libraryId, removed.Address, "removed", by, at, removed.Reason, removed.Source);
        await _audit.UpsertAsync(libraryId, TableKeys.NewestFirst(at) + "-" + Guid.NewGuid().ToString("N")[..8], entry, cancellationToken);
        return entry;
    }

    /// <summary>Deletes one library's audit rows older than <paramref name="cutoff"/>: one key range, as keys are newest first.</summary>
    public async Task<int> DeleteOlderThanAsync(string libraryId, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);

        // Older rows have larger keys; '.' sorts after the '-' that follows the time in every key.
        var expired = table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {libraryId} and RowKey gt {TableKeys.NewestFirst(cutoff) + "."}"),
            select: ["PartitionKey", "RowKey"],
            cancellationToken: cancellationToken);
        return await TableBatches.DeleteAllAsync(table, expired, cancellationToken);
    }

    public Task<Page<BlacklistAuditEntry>> ListAsync(string libraryId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        _audit.ListAsync(libraryId, pageSize, continuationToken, cancellationToken);
}
