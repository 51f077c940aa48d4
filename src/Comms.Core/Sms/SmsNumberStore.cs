using Azure;
using Azure.Data.Tables;
using Comms.Storage;

namespace Comms.Sms;

/// <summary>
/// Per phone number and library: when the library last texted it, and whether the number replied STOP. Partitioned by
/// number, because a reply names only the number: a STOP holds for every library that has texted it from our sender
/// (carriers expect a STOP to stop the sender, and the reader cannot say which library they meant).
/// </summary>
public sealed class SmsNumberStore(CommsTables tables)
{
    public const string TableName = "SmsNumbers";

    public async Task<bool> IsOptedOutAsync(string phone, string libraryId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var row = await table.GetEntityIfExistsAsync<SmsNumberRow>(KeyOf(phone), libraryId, cancellationToken: cancellationToken);
        return row.HasValue && row.Value?.OptedOut == true;
    }

    /// <summary>Remembers that the library texted the number, so a STOP from it reaches this library (a merge: an opt-out stays).</summary>
    public async Task RecordSentAsync(string phone, string libraryId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        await table.UpsertEntityAsync(new TableEntity(KeyOf(phone), libraryId) { ["LastSentAt"] = now }, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>STOP (opt out) or START (opt in again) for every library that texted the number.</summary>
    public async Task<int> SetOptOutAsync(string phone, bool optedOut, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var count = 0;
        await foreach (var row in table.QueryAsync<SmsNumberRow>(r => r.PartitionKey == KeyOf(phone), cancellationToken: cancellationToken))
        {
            var entity = new TableEntity(row.PartitionKey, row.RowKey) { ["OptedOut"] = optedOut, ["OptOutChangedAt"] = at };
            await table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken);
            count++;
        }

        return count;
    }

    /// <summary>
    /// Forgets that the library texted the number (its patron was erased). A STOP stays, as the blacklist does for an
    /// address: it is the number's own word, and a patron added again with it must not be texted.
    /// </summary>
    public async Task ForgetAsync(string phone, string libraryId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var row = await table.GetEntityIfExistsAsync<SmsNumberRow>(KeyOf(phone), libraryId, cancellationToken: cancellationToken);
        if (row.HasValue && row.Value is { OptedOut: not true } found)
        {
            await table.DeleteEntityAsync(found.PartitionKey, found.RowKey, found.ETag, cancellationToken);
        }
    }

    /// <summary>The number's digits: "+" is not a problem for a table key, but one spelling per number is.</summary>
    private static string KeyOf(string phone) => phone.TrimStart('+');

    private sealed class SmsNumberRow : ITableEntity
    {
        public string PartitionKey { get; set; } = string.Empty;
        public string RowKey { get; set; } = string.Empty;
        public DateTimeOffset? Timestamp { get; set; }
        public ETag ETag { get; set; }
        public DateTimeOffset? LastSentAt { get; set; }
        public bool? OptedOut { get; set; }
        public DateTimeOffset? OptOutChangedAt { get; set; }
    }
}
