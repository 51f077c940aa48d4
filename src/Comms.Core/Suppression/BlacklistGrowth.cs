using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Comms.EmailLog;
using Comms.Storage;

namespace Comms.Suppression;

/// <summary>
/// Addresses of one library's contacts blacklisted per UTC day, for the dashboard. The blacklist itself is shared
/// by every library and says nothing about whose contact an address is, so the library's growth is recorded where
/// both are known: a provider's report (hard bounce, complaint, ACS suppression) about one of the library's own
/// emails, which is what blacklists the address (<see cref="DeliveryReportHandler"/>, <see cref="SnsNotificationHandler"/>).
/// Addresses the nightly provider sync brings in are not any library's until it emails them, so they are not
/// counted (docs/staff-page.md).
/// <para>
/// Table <c>BlacklistGrowth</c>, partition the library: "a|{hash}" says the address was counted (on which day) and
/// "d|{day}|{hash}" is the count. The hash is a SHA-256 prefix of the address key, never the address: a repeated
/// report finds its "a|" row and counts nothing, and the rows hold no address to leak or erase by text.
/// </para>
/// </summary>
public sealed class BlacklistGrowth(CommsTables tables, TimeProvider clock) : IEmailReportListener
{
    public const string TableName = "BlacklistGrowth";

    /// <summary>The most rows one dashboard counts (that many new blacklisted addresses in 90 days is an outage, not a trend).</summary>
    public const int MaxRows = 100_000;

    private static readonly HashSet<EmailStatus> Blacklisting = [EmailStatus.Bounced, EmailStatus.Complained, EmailStatus.Suppressed];

    public async Task ReportedAsync(EmailLogEntry entry, CancellationToken cancellationToken = default)
    {
        if (!Blacklisting.Contains(entry.Status) || EmailLogStore.AddressKey(entry.Address) is not { } key)
        {
            return;
        }

        var table = await tables.GetAsync(TableName);
        var hash = Hash(key);
        if ((await table.GetEntityIfExistsAsync<TableEntity>(entry.LibraryId, "a|" + hash, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue)
        {
            return;
        }

        // The day the report blacklisted it. The day row first: a crash before the marker makes the retry write the
        // day row again (an upsert), so the address is counted once unless the retry falls on the next day.
        var day = Key(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        await table.UpsertEntityAsync(new TableEntity(entry.LibraryId, $"d|{day}|{hash}"), TableUpdateMode.Replace, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(entry.LibraryId, "a|" + hash) { ["Day"] = day }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Addresses added per UTC day from <paramref name="from"/> to <paramref name="to"/> (inclusive); one key range, at most <see cref="MaxRows"/> rows.</summary>
    public async Task<(IReadOnlyDictionary<DateOnly, int> PerDay, bool Truncated)> CountAsync(string libraryId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {libraryId} and RowKey ge {"d|" + Key(from)} and RowKey lt {"d|" + Key(to.AddDays(1))}");
        var perDay = new Dictionary<DateOnly, int>();
        var rows = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (++rows > MaxRows)
            {
                return (perDay, true);
            }

            var day = DateOnly.ParseExact(row.RowKey.AsSpan(2, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            perDay[day] = perDay.GetValueOrDefault(day) + 1;
        }

        return (perDay, false);
    }

    /// <summary>Patron erasure: the rows of these addresses go (the library's past counts drop by them).</summary>
    public async Task<int> ForgetAsync(string libraryId, IEnumerable<string?> addresses, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var deleted = 0;
        foreach (var key in addresses.Select(EmailLogStore.AddressKey).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var hash = Hash(key);
            var marker = await table.GetEntityIfExistsAsync<TableEntity>(libraryId, "a|" + hash, cancellationToken: cancellationToken);
            if (!marker.HasValue || marker.Value?.GetString("Day") is not { } day)
            {
                continue;
            }

            await DeleteAsync(table, libraryId, $"d|{day}|{hash}", cancellationToken);
            await DeleteAsync(table, libraryId, "a|" + hash, cancellationToken);
            deleted++;
        }

        return deleted;
    }

    /// <summary>Retention: one library's rows of days before <paramref name="cutoff"/> (the day rows by key, the markers by their day).</summary>
    public async Task<int> DeleteBeforeAsync(string libraryId, DateOnly cutoff, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var days = table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {libraryId} and RowKey ge {"d|"} and RowKey lt {"d|" + Key(cutoff)}"),
            select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken);
        var markers = table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {libraryId} and RowKey ge {"a|"} and RowKey lt {"a}"} and Day lt {Key(cutoff)}"),
            select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken);
        return await TableBatches.DeleteAllAsync(table, days, cancellationToken) + await TableBatches.DeleteAllAsync(table, markers, cancellationToken);
    }

    private static string Hash(string addressKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(addressKey)))[..24];

    private static string Key(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task DeleteAsync(TableClient table, string partition, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partition, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Deleted by an earlier, interrupted erasure.
        }
    }
}
