using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Comms.Common;
using Comms.Delivery;
using Comms.Storage;

namespace Comms.EmailLog;

/// <summary>
/// How email log rows end: deleted with their message-index rows once past retention, or stripped of a deleted
/// patron's address, name and message text while the status row stays (docs/retention.md).
/// </summary>
public sealed class EmailLogRetention(CommsTables tables)
{
    /// <summary>Index rows of one batch are deleted this many at a time; each sits in its own partition.</summary>
    private const int IndexDeletesInParallel = 8;

    /// <summary>Deletes one library's rows older than <paramref name="cutoff"/> and their index rows.</summary>
    public async Task<EmailLogPurge> DeleteOlderThanAsync(string libraryId, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(EmailLogStore.TableName);
        var index = new MessageIndex(tables);

        // Row keys are newest first, so "older than" is one key range of the library's partition: rows kept
        // are never read.
        var expired = table.QueryAsync<EmailLogRow>(
            EmailLogStore.OlderThanFilter(libraryId, cutoff), select: ["PartitionKey", "RowKey", "Data"], cancellationToken: cancellationToken);
        var purge = new EmailLogPurge(0, 0);
        await foreach (var batch in TableBatches.ByPartitionAsync(expired, cancellationToken))
        {
            // Index rows first: a run cut off after them leaves log rows the next run finds by their key range.
            // The other order would strand index rows that nothing leads to any more.
            var indexRows = await DeleteIndexRowsAsync(index, batch, cancellationToken);
            var rows = await TableBatches.DeleteAsync(table, batch, cancellationToken);
            purge = new EmailLogPurge(purge.Rows + rows, purge.IndexRows + indexRows);
        }

        return purge;
    }

    /// <summary>
    /// Erases the recipient from every row about <paramref name="patronId"/>: rows carrying the PatronId
    /// column, and older rows without it that were sent to one of <paramref name="addresses"/> and name the
    /// patron inside. Returns how many rows changed; a second call changes none.
    /// </summary>
    public async Task<int> ErasePatronAsync(string libraryId, string patronId, IEnumerable<string?> addresses, DateTimeOffset erasedAt, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(EmailLogStore.TableName);
        var erased = 0;
        await foreach (var row in table.QueryAsync<EmailLogRow>(PatronFilter(libraryId, patronId, addresses), cancellationToken: cancellationToken))
        {
            if (await TryEraseAsync(table, row, patronId, erasedAt, cancellationToken))
            {
                erased++;
            }
        }

        return erased;
    }

    /// <summary>The row with the recipient's address, name and message text removed; provider reasons keep their meaning without the address.</summary>
    public static EmailLogEntry Erase(EmailLogEntry entry, DateTimeOffset erasedAt) => entry with
    {
        Address = null,
        RecipientName = null,
        Subject = null,
        Preview = null,
        Reason = Redaction.Redact(entry.Reason),
        ErasedAt = erasedAt,
    };

    private static async Task<bool> TryEraseAsync(TableClient table, EmailLogRow row, string patronId, DateTimeOffset erasedAt, CancellationToken cancellationToken)
    {
        var current = row;
        for (var attempt = 1; ; attempt++)
        {
            // A guardian's address also appears on a sibling's rows: only this patron's rows are erased.
            if (!IsToErase(current, patronId))
            {
                return false;
            }

            try
            {
                await table.UpdateEntityAsync(Erased(current, erasedAt), current.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 5)
            {
                // A delivery report changed the row meanwhile: erase it as it is now.
                var fresh = await table.GetEntityIfExistsAsync<EmailLogRow>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken);
                if (!fresh.HasValue || fresh.Value is null)
                {
                    return false;
                }

                current = fresh.Value;
            }
        }
    }

    private static bool IsToErase(EmailLogRow row, string patronId)
    {
        var entry = EmailLogStore.Deserialize(row);
        return string.Equals(entry.PatronId, patronId, StringComparison.Ordinal) && entry.ErasedAt is null;
    }

    private static EmailLogRow Erased(EmailLogRow row, DateTimeOffset erasedAt)
    {
        var entry = Erase(EmailLogStore.Deserialize(row), erasedAt);
        return new EmailLogRow
        {
            PartitionKey = row.PartitionKey,
            RowKey = row.RowKey,
            Status = row.Status,
            Scenario = row.Scenario,
            AddressKey = null,
            ProviderMessageId = row.ProviderMessageId,
            PatronId = entry.PatronId,
            NoticeId = row.NoticeId,
            OutboxNoticeId = row.OutboxNoticeId,
            Data = JsonSerializer.Serialize(entry, CommsJson.Options),
        };
    }

    private static string PatronFilter(string libraryId, string patronId, IEnumerable<string?> addresses)
    {
        var matches = new List<string> { TableClient.CreateQueryFilter($"PatronId eq {patronId}") };
        matches.AddRange(addresses
            .Select(EmailLogStore.AddressKey)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Select(key => TableClient.CreateQueryFilter($"AddressKey eq {key}")));
        return TableClient.CreateQueryFilter($"PartitionKey eq {libraryId}") + " and (" + string.Join(" or ", matches) + ")";
    }

    private static async Task<int> DeleteIndexRowsAsync(MessageIndex index, IReadOnlyList<EmailLogRow> batch, CancellationToken cancellationToken)
    {
        var sent = batch.Select(EmailLogStore.Deserialize).Where(e => !string.IsNullOrEmpty(e.ProviderMessageId));
        var deleted = 0;
        await Parallel.ForEachAsync(
            sent,
            new ParallelOptions { MaxDegreeOfParallelism = IndexDeletesInParallel, CancellationToken = cancellationToken },
            async (entry, token) =>
            {
                if (await index.DeleteAsync(entry, token))
                {
                    Interlocked.Increment(ref deleted);
                }
            });
        return deleted;
    }
}

/// <summary>What one library's email log purge deleted.</summary>
public sealed record EmailLogPurge(int Rows, int IndexRows);
