using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Comms.Common;
using Comms.Delivery;
using Comms.Storage;

namespace Comms.EmailLog;

/// <summary>
/// Every send attempt, partitioned by library, row keys newest first (inverted ticks plus a unique suffix),
/// so "latest first" is the table's natural order and a date range is a row-key range.
/// </summary>
public sealed class EmailLogStore(CommsTables tables, EmailLogCounters counters, IEnumerable<IEmailReportListener>? listeners = null)
{
    public const string TableName = "EmailLog";

    /// <summary>Provider message id → log rows, for delivery reports that name only the provider's message.</summary>
    public const string MessageIndexTable = MessageIndex.TableName;

    // The rows of one library's notices sent at the same moment share transactions (one partition per library).
    private readonly PartitionWriteBatcher _writes = new(tables);
    private readonly MessageIndex _index = new(tables);

    public async Task AppendAsync(EmailLogEntry entry, CancellationToken cancellationToken = default)
    {
        await _writes.WriteAsync(TableName, new TableTransactionAction(TableTransactionActionType.Add, ToRow(entry))).WaitAsync(cancellationToken);
        await _index.AddAsync([entry], cancellationToken);
        await counters.AddAsync([entry], cancellationToken);
    }

    /// <summary>
    /// Writes entries, grouped into transactions per library with the rows other notices write at the same
    /// moment (<see cref="PartitionWriteBatcher"/>). Every row is an insert: an entry whose id is already in the
    /// log (a Sent row another attempt wrote first, see <see cref="SentEntryId"/>) is not written again, and
    /// its id is returned so the caller knows it did not write it.
    /// </summary>
    public async Task<IReadOnlySet<string>> AppendManyAsync(IReadOnlyList<EmailLogEntry> entries, CancellationToken cancellationToken = default)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);

        // The index goes beside the rows, not after them: a repeat that finds its Sent row already written
        // upserts the same index row, and a report that arrives before its row finds nothing to update yet,
        // as it would have a moment earlier.
        var indexed = _index.AddAsync(entries, cancellationToken);
        await Task.WhenAll(entries.Select(async entry =>
        {
            try
            {
                await _writes.WriteAsync(TableName, new TableTransactionAction(TableTransactionActionType.Add, ToRow(entry))).WaitAsync(cancellationToken);
            }
            catch (Azure.RequestFailedException e) when (e.Status == 409)
            {
                // Only a deterministic Sent row can collide: another attempt recorded this send first.
                lock (existing)
                {
                    existing.Add(entry.Id);
                }
            }
        }));

        await indexed;
        List<EmailLogEntry> written = [.. entries.Where(e => !existing.Contains(e.Id))];

        // Only rows this call inserted are counted: a Sent row another attempt wrote first was counted by it.
        await counters.AddAsync(written, cancellationToken);
        return existing;
    }

    /// <summary>
    /// Sets the status of the log rows of one provider message (for a BCC message only the row of
    /// <paramref name="address"/> when given). Returns how many rows changed; 0 when the message is unknown.
    /// </summary>
    public async Task<int> UpdateByMessageIdAsync(string providerMessageId, string? address, EmailStatus status, string? reason, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var key = AddressKey(address);
        var updated = 0;
        foreach (var (libraryId, entryId) in await _index.FindAsync(providerMessageId, cancellationToken))
        {
            var found = await table.GetEntityIfExistsAsync<EmailLogRow>(libraryId, entryId, cancellationToken: cancellationToken);
            if (!found.HasValue || found.Value is null || (key is not null && found.Value.AddressKey is not null && found.Value.AddressKey != key))
            {
                continue;
            }

            var row = found.Value;
            var entry = Deserialize(row);
            var before = row.Status;

            // Bounce texts often quote the recipient, whom an erased row must not name again.
            entry = entry with { Status = status, Reason = entry.ErasedAt is null ? reason : Redaction.Redact(reason) };
            row.Status = status.ToString();
            row.Data = JsonSerializer.Serialize(entry, CommsJson.Options);
            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            updated++;
            if (!string.Equals(before, row.Status, StringComparison.Ordinal))
            {
                // After the ETag update won: a repeated report finds the status already moved and moves no count.
                await counters.MoveAsync(row.PartitionKey, row.RowKey, row.Scenario, before, row.Status, cancellationToken);
            }

            foreach (var listener in listeners ?? [])
            {
                await listener.ReportedAsync(entry, cancellationToken);
            }
        }

        return updated;
    }

    /// <summary>
    /// Sets the status of one of the library's rows by its id (a printed notice confirmed by staff); false when the row is
    /// gone (purged, or the library deleted). The same status again changes nothing and moves no count.
    /// </summary>
    public async Task<bool> UpdateStatusAsync(string libraryId, string entryId, EmailStatus status, string? reason, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var found = await table.GetEntityIfExistsAsync<EmailLogRow>(libraryId, entryId, cancellationToken: cancellationToken);
        if (!found.HasValue || found.Value is null)
        {
            return false;
        }

        var row = found.Value;
        var before = row.Status;
        if (string.Equals(before, status.ToString(), StringComparison.Ordinal))
        {
            return true;
        }

        var entry = Deserialize(row) with { Status = status, Reason = reason };
        row.Status = status.ToString();
        row.Data = JsonSerializer.Serialize(entry, CommsJson.Options);
        try
        {
            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 412)
        {
            // Another confirmation changed it first, and moved the count.
            return true;
        }

        await counters.MoveAsync(row.PartitionKey, row.RowKey, row.Scenario, before, row.Status, cancellationToken);
        return true;
    }

    /// <summary>
    /// Whether the library's log holds the row of this provider message, written around <paramref name="sentAt"/>
    /// (the ledger's time for the send; the log row is stamped just before it). Only rows of a few minutes
    /// around that instant are read, so this stays cheap in a large log.
    /// </summary>
    public async Task<bool> HasMessageAsync(string libraryId, string providerMessageId, DateTimeOffset sentAt, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var filter = string.Join(" and ",
            TableClient.CreateQueryFilter($"PartitionKey eq {libraryId}"),
            TableClient.CreateQueryFilter($"RowKey lt {TableKeys.NewestFirst(sentAt - TimeSpan.FromMinutes(2)) + "."}"),
            TableClient.CreateQueryFilter($"RowKey gt {TableKeys.NewestFirst(sentAt + TimeSpan.FromMinutes(1)) + "."}"),
            TableClient.CreateQueryFilter($"ProviderMessageId eq {providerMessageId}"));
        await foreach (var _ in table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            return true;
        }

        return false;
    }

    public async Task<Page<EmailLogEntry>> QueryAsync(string libraryId, EmailLogQuery query, CancellationToken cancellationToken = default)
    {
        var tableToken = PageTokens.Unwrap(libraryId, query.ContinuationToken);
        var table = await tables.GetAsync(TableName);
        var filter = Filter(libraryId, query);
        var pages = table.QueryAsync<EmailLogRow>(filter, maxPerPage: query.PageSize, cancellationToken: cancellationToken)
            .AsPages(tableToken, query.PageSize);
        await foreach (var page in pages)
        {
            return new Page<EmailLogEntry>([.. page.Values.Select(Deserialize)], PageTokens.Wrap(libraryId, page.ContinuationToken));
        }

        return new Page<EmailLogEntry>([], null);
    }

    public static string NewId(DateTimeOffset time) =>
        TableKeys.NewestFirst(time) + "-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// The id of a notice's Sent row: the same for every attempt that records the send (the sender and any
    /// repeat that finds the row missing), so the log holds one Sent row per notice and only the attempt
    /// whose insert wins reports it.
    /// </summary>
    public static string SentEntryId(string noticeId, DateTimeOffset sentAt) =>
        TableKeys.NewestFirst(sentAt) + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("sent|" + noticeId)))[..12];

    /// <summary>The address column value: the lower-cased normal form (see <see cref="EmailAddress.Key"/>).</summary>
    public static string? AddressKey(string? address) =>
        EmailAddress.TryNormalize(address, out var normalized) ? EmailAddress.Key(normalized) : null;

    private static string Filter(string libraryId, EmailLogQuery query)
    {
        var parts = new List<string> { TableClient.CreateQueryFilter($"PartitionKey eq {libraryId}") };

        // Newer times have smaller keys: time >= From means key <= NewestFirst(From) + suffix, and
        // time < To means key > every key of the instant To. '.' sorts after the '-' before the suffix.
        if (query.From is { } from)
        {
            parts.Add(TableClient.CreateQueryFilter($"RowKey lt {TableKeys.NewestFirst(from) + "."}"));
        }

        if (query.To is { } to)
        {
            parts.Add(TableClient.CreateQueryFilter($"RowKey gt {TableKeys.NewestFirst(to) + "."}"));
        }

        if (query.Status is { } status)
        {
            parts.Add(TableClient.CreateQueryFilter($"Status eq {status.ToString()}"));
        }

        if (query.Scenario is { } scenario)
        {
            parts.Add(TableClient.CreateQueryFilter($"Scenario eq {scenario.ToString()}"));
        }

        if (query.NoticeId is { } noticeId)
        {
            parts.Add(TableClient.CreateQueryFilter($"NoticeId eq {noticeId}"));
        }

        if (query.OutboxNoticeId is { } outboxNoticeId)
        {
            parts.Add(TableClient.CreateQueryFilter($"OutboxNoticeId eq {outboxNoticeId}"));
        }

        if (query.Channel is { } channel)
        {
            parts.Add(TableClient.CreateQueryFilter($"Channel eq {ChannelKey(channel)}"));
        }

        if (AddressKey(query.Address) is { } key)
        {
            parts.Add(TableClient.CreateQueryFilter($"AddressKey eq {key}"));
        }

        return string.Join(" and ", parts);
    }

    private static EmailLogRow ToRow(EmailLogEntry entry) => new()
    {
        PartitionKey = entry.LibraryId,
        RowKey = entry.Id,
        Status = entry.Status.ToString(),
        Scenario = entry.Scenario,
        AddressKey = AddressKey(entry.Address),
        ProviderMessageId = entry.ProviderMessageId,
        PatronId = entry.PatronId,
        NoticeId = entry.NoticeId,
        OutboxNoticeId = entry.OutboxNoticeId,
        Channel = ChannelKey(entry.Channel),
        Data = JsonSerializer.Serialize(entry, CommsJson.Options),
    };

    /// <summary>The channel as the API and the Channel column write it: "email", "sms", "print".</summary>
    public static string ChannelKey(NoticeChannel channel) => channel.ToString().ToLowerInvariant();

    /// <summary>The filter for one library's rows older than <paramref name="cutoff"/> (see <see cref="Filter"/>).</summary>
    internal static string OlderThanFilter(string libraryId, DateTimeOffset cutoff) =>
        Filter(libraryId, new EmailLogQuery { To = cutoff });

    internal static EmailLogEntry Deserialize(EmailLogRow row) =>
        JsonSerializer.Deserialize<EmailLogEntry>(row.Data, CommsJson.Options)
        ?? throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Email log row {row.RowKey} is empty."));
}
