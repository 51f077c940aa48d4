using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Comms.Storage;

namespace Comms.EmailLog;

/// <summary>
/// Provider message id → email log rows, for delivery reports that name only the provider's message.
/// Rows sit in <see cref="Buckets"/> partitions chosen by a hash of the message id, so the index rows of notices
/// sent at the same moment share transactions (<see cref="PartitionWriteBatcher"/>) while a lookup stays one
/// key-range read; row key = escaped message id | library | entry id (BCC recipients share a message id).
/// Rows written before this layout sit in a partition named by the escaped message id; lookups and deletes
/// fall back to that layout when the bucket holds nothing.
/// </summary>
public sealed class MessageIndex(CommsTables tables)
{
    public const string TableName = "EmailLogMessages";

    /// <summary>
    /// Four partitions: at Azure's target of about 2,000 rows per second per partition that is 8,000 sends a
    /// second, ten times a deployment's ceiling (docs/scaling.md), while concurrent sends still fill transactions
    /// (with eight, a bench at 32 sends in flight got almost none).
    /// </summary>
    public const int Buckets = 4;

    private readonly PartitionWriteBatcher _writes = new(tables);

    /// <summary>Indexes sent entries (those with a provider message id); an upsert, so repeating it is harmless.</summary>
    public Task AddAsync(IEnumerable<EmailLogEntry> entries, CancellationToken cancellationToken = default) =>
        Task.WhenAll(entries
            .Where(e => !string.IsNullOrEmpty(e.ProviderMessageId))
            .Select(e =>
            {
                var (partition, row) = KeysFor(e.ProviderMessageId!, e.LibraryId, e.Id);
                var entity = new TableEntity(partition, row) { ["MessageId"] = e.ProviderMessageId, ["LibraryId"] = e.LibraryId, ["EntryId"] = e.Id };
                return _writes.WriteAsync(TableName, new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity)).WaitAsync(cancellationToken);
            }));

    /// <summary>The (library, entry id) of every log row of one provider message.</summary>
    public async Task<IReadOnlyList<(string LibraryId, string EntryId)>> FindAsync(string providerMessageId, CancellationToken cancellationToken = default)
    {
        var index = await tables.GetAsync(TableName);
        var (partition, _) = KeysFor(providerMessageId, string.Empty, string.Empty);
        var prefix = TableKeys.Escape(providerMessageId) + "|";

        // '}' follows '|': the range holds exactly the row keys that start with the prefix.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + "}"}");
        var found = new List<(string, string)>();
        await foreach (var row in index.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            // A message id containing '|' could share the prefix: the stored id decides.
            if (string.Equals(row.GetString("MessageId"), providerMessageId, StringComparison.Ordinal))
            {
                found.Add((row.GetString("LibraryId"), row.GetString("EntryId")));
            }
        }

        if (found.Count == 0)
        {
            await foreach (var row in index.QueryAsync<TableEntity>(r => r.PartitionKey == TableKeys.Escape(providerMessageId), cancellationToken: cancellationToken))
            {
                found.Add((row.GetString("LibraryId"), row.GetString("EntryId")));
            }
        }

        return found;
    }

    /// <summary>Deletes the index row of one log entry; false when there was none.</summary>
    public async Task<bool> DeleteAsync(EmailLogEntry entry, CancellationToken cancellationToken = default)
    {
        var index = await tables.GetAsync(TableName);
        var (partition, row) = KeysFor(entry.ProviderMessageId!, entry.LibraryId, entry.Id);
        using var response = await index.DeleteEntityAsync(partition, row, ETag.All, cancellationToken);
        if (response.Status != 404)
        {
            return true;
        }

        using var legacy = await index.DeleteEntityAsync(TableKeys.Escape(entry.ProviderMessageId!), LegacyRowKey(entry), ETag.All, cancellationToken);
        return legacy.Status != 404;
    }

    internal static (string Partition, string Row) KeysFor(string providerMessageId, string libraryId, string entryId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(providerMessageId));
        return ("m" + (hash[0] % Buckets), TableKeys.Escape(providerMessageId) + "|" + libraryId + "|" + entryId);
    }

    /// <summary>The row key of an entry's index row in the layout before buckets (partition: the escaped message id).</summary>
    internal static string LegacyRowKey(EmailLogEntry entry) => entry.LibraryId + "|" + entry.Id;
}
