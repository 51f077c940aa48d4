using System.Security.Cryptography;
using System.Text;
using ETag = Azure.ETag;
using Azure.Data.Tables;
using Comms.Common;
using Comms.Storage;

namespace Comms.Suppression;

/// <summary>
/// The blacklist in Table Storage. Row key = the address key (lower-cased normal form), partition = the first
/// hex digit of its SHA-256: a lookup is a point read, and a sync page of 1,000 addresses becomes ~16 batch
/// transactions instead of 1,000 single writes (transactions need one partition). The check before a send reads
/// <see cref="BlacklistMemory"/> instead, which every write here keeps current.
/// </summary>
public sealed class BlacklistStore(CommsTables tables, BlacklistMemory memory)
{
    public const string TableName = "Blacklist";

    /// <summary>How many partition transactions a bulk write runs at once.</summary>
    private const int WriteConcurrency = 8;

    public async Task<bool> IsBlacklistedAsync(string address, CancellationToken cancellationToken = default) =>
        await GetAsync(address, cancellationToken) is not null;

    /// <summary>
    /// The check before a send: from memory (no storage call) unless Comms:Suppression:BlacklistRefreshSeconds is 0.
    /// Staff pages and the API read the table itself (<see cref="GetAsync"/>), so they never show a stale entry.
    /// </summary>
    public async ValueTask<BlacklistEntry?> FindBeforeSendAsync(string address, CancellationToken cancellationToken = default) =>
        memory.Enabled ? await memory.FindAsync(KeysFor(address).Row, cancellationToken) : await GetAsync(address, cancellationToken);

    public async Task<BlacklistEntry?> GetAsync(string address, CancellationToken cancellationToken = default)
    {
        var (partition, row) = KeysFor(address);
        var table = await tables.GetAsync(TableName);
        var found = await table.GetEntityIfExistsAsync<BlacklistRow>(partition, row, cancellationToken: cancellationToken);
        return found.HasValue && found.Value is not null ? found.Value.ToEntry() : null;
    }

    /// <summary>Adds or refreshes an entry; the address is stored in normal form.</summary>
    public async Task<BlacklistEntry> AddAsync(string address, string reason, string source, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (!EmailAddress.TryNormalize(address, out var normalized))
        {
            throw RequestValidationException.For("address", "Not a valid email address.");
        }

        var entry = new BlacklistEntry { Address = normalized, Reason = reason, Source = source, UpdatedAt = now };
        var table = await tables.GetAsync(TableName);
        var row = ToRow(entry, now);
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
        memory.Remember(row.RowKey, entry);
        return entry;
    }

    /// <summary>
    /// Upserts entries (already in normal form) in batches of 100 per partition, several partitions at once.
    /// The caller bounds the input (one provider page), so memory stays flat however long the list is.
    /// </summary>
    public async Task<int> UpsertManyAsync(IEnumerable<BlacklistEntry> entries, DateTimeOffset seenAt, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);

        // Last one wins within a page: a transaction may not touch the same row twice.
        var rows = entries
            .Select(e => ToRow(e, seenAt))
            .GroupBy(r => (r.PartitionKey, r.RowKey))
            .Select(g => g.Last())
            .GroupBy(r => r.PartitionKey, StringComparer.Ordinal)
            .SelectMany(p => p.Chunk(DocumentTable<BlacklistEntry>.BatchSize))
            .ToList();
        await Parallel.ForEachAsync(
            rows,
            new ParallelOptions { MaxDegreeOfParallelism = WriteConcurrency, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), ct);
                foreach (var row in chunk)
                {
                    memory.Remember(row.RowKey, row.ToEntry());
                }
            });
        return rows.Sum(c => c.Length);
    }

    public async Task<bool> RemoveAsync(string address, CancellationToken cancellationToken = default)
    {
        var (partition, row) = KeysFor(address);
        var table = await tables.GetAsync(TableName);
        var response = await table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken);
        memory.Forget(row);
        return response.Status != 404;
    }

    public async Task<Page<BlacklistEntry>> ListAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var pages = table.QueryAsync<BlacklistRow>(maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize);
        await foreach (var page in pages)
        {
            return new Page<BlacklistEntry>([.. page.Values.Select(r => r.ToEntry())], page.ContinuationToken);
        }

        return new Page<BlacklistEntry>([], null);
    }

    /// <summary>
    /// Deletes the entries of <paramref name="source"/> that no sync has confirmed since <paramref name="seenBefore"/>:
    /// after a complete full read of a provider's list, those are addresses the provider no longer suppresses.
    /// </summary>
    public async Task<int> SweepAsync(string source, DateTimeOffset seenBefore, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var filter = TableClient.CreateQueryFilter($"Source eq {source} and SeenAt lt {seenBefore}");
        var removed = 0;
        await foreach (var row in table.QueryAsync<BlacklistRow>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
            memory.Forget(row.RowKey);
            removed++;
        }

        return removed;
    }

    /// <summary>Lookups compare whole addresses case-insensitively (see <see cref="EmailAddress.Key"/>).</summary>
    internal static (string Partition, string Row) KeysFor(string address)
    {
        var key = EmailAddress.TryNormalize(address, out var normalized) ? EmailAddress.Key(normalized) : address.Trim().ToLowerInvariant();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return (Convert.ToHexStringLower(hash.AsSpan(0, 1))[..1], TableKeys.Escape(key));
    }

    private static BlacklistRow ToRow(BlacklistEntry entry, DateTimeOffset seenAt)
    {
        var (partition, row) = KeysFor(entry.Address);
        return new BlacklistRow
        {
            PartitionKey = partition,
            RowKey = row,
            Address = entry.Address,
            Reason = entry.Reason,
            Source = entry.Source,
            UpdatedAt = entry.UpdatedAt,
            SeenAt = seenAt,
            ProviderRef = entry.ProviderRef,
        };
    }
}
