using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Comms.Storage;
using Microsoft.Extensions.Logging;

namespace Comms.EmailLog;

/// <summary>
/// Email log rows per library, UTC day, scenario and status, kept as the log is written so the dashboard reads a
/// few rows per day instead of scanning the log (docs/staff-page.md, "How it is computed").
/// <para>
/// Why it does not double-count: a count is added only after the log row's insert succeeded, and only for rows
/// that insert wrote. A retried send that repeats a Sent row collides on the row's deterministic id (409) and adds
/// nothing; any other repeated row is a new log row, which the log lists too. A delivery report moves one count
/// from the old status to the new, only when its ETag update of the log row succeeded and the status changed, so a
/// repeated report moves nothing. What can drift: a process that dies between the log write and the counter
/// write leaves that row uncounted (one short, never double).
/// </para>
/// <para>
/// Each day has <see cref="Shards"/> rows written at random, so the sends of a library's busy send time do not all
/// retry on one row's ETag; the day's count is their sum. Each library has a "since" row, written at its first
/// count: days up to and including that UTC day may hold rows written before counting began, so the dashboard
/// scans the log for those days (at most the first 90 days after this shipped) and reads counters after it.
/// </para>
/// </summary>
public sealed partial class EmailLogCounters(CommsTables tables, TimeProvider time, ILogger<EmailLogCounters> logger)
{
    public const string TableName = "EmailLogDaily";

    /// <summary>Rows per library and day: spreads concurrent updates; the dashboard reads at most 90 × this.</summary>
    public const int Shards = 4;

    /// <summary>A bounded number of ETag rounds: past it the delta is logged as lost rather than blocking a send.</summary>
    private const int MaxAttempts = 12;

    private const string SinceRowKey = "since";
    private const string DayPrefix = "d|";

    private readonly ConcurrentDictionary<string, DateOnly> _since = new(StringComparer.Ordinal);

    /// <summary>Counts rows the caller has just inserted into the log (see the class remarks).</summary>
    public async Task AddAsync(IEnumerable<EmailLogEntry> written, CancellationToken cancellationToken = default)
    {
        var deltas = written
            .GroupBy(e => (e.LibraryId, Day: DayOf(e.Id)))
            .Select(g => (g.Key.LibraryId, g.Key.Day, Counts: g.GroupBy(e => (e.Scenario, Status: e.Status.ToString())).ToDictionary(s => s.Key, s => s.Count())))
            .ToList();
        foreach (var (libraryId, day, counts) in deltas)
        {
            await ApplyAsync(libraryId, day, counts, cancellationToken);
        }
    }

    /// <summary>Moves one count of the row <paramref name="rowKey"/> from its old status to its new one.</summary>
    public Task MoveAsync(string libraryId, string rowKey, string scenario, string from, string to, CancellationToken cancellationToken = default) =>
        ApplyAsync(libraryId, DayOf(rowKey), new() { [(scenario, from)] = -1, [(scenario, to)] = 1 }, cancellationToken);

    /// <summary>The UTC day counting began for a library, or null when it has no counts yet (the dashboard then scans).</summary>
    public async Task<DateOnly?> SinceAsync(string libraryId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(libraryId, SinceRowKey, cancellationToken: cancellationToken);
        return found.HasValue && found.Value?.GetString("Day") is { } day
            ? DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>
    /// Counts per day (scenario → status → rows) for <paramref name="from"/>..<paramref name="to"/> inclusive: one
    /// range query of at most days × <see cref="Shards"/> small rows.
    /// </summary>
    public async Task<IReadOnlyDictionary<DateOnly, Dictionary<(string Scenario, string Status), int>>> ReadAsync(
        string libraryId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {libraryId} and RowKey ge {DayPrefix + Key(from)} and RowKey lt {DayPrefix + Key(to.AddDays(1))}");
        var days = new Dictionary<DateOnly, Dictionary<(string, string), int>>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            var day = DateOnly.ParseExact(row.RowKey.AsSpan(DayPrefix.Length, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var counts = days.TryGetValue(day, out var found) ? found : days[day] = [];
            foreach (var (key, n) in Parse(row))
            {
                counts[key] = counts.GetValueOrDefault(key) + n;
            }
        }

        return days;
    }

    /// <summary>Deletes one library's day rows before <paramref name="cutoff"/> (retention); the since row stays.</summary>
    public async Task<int> DeleteBeforeAsync(string libraryId, DateOnly cutoff, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {libraryId} and RowKey ge {DayPrefix} and RowKey lt {DayPrefix + Key(cutoff)}");
        return await TableBatches.DeleteAllAsync(table, table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken), cancellationToken);
    }

    /// <summary>The UTC day of a log row from its id: the first 19 characters are inverted ticks (TableKeys.NewestFirst).</summary>
    public static DateOnly DayOf(string rowKey)
    {
        var inverted = long.Parse(rowKey.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture);
        return DateOnly.FromDateTime(new DateTime(DateTimeOffset.MaxValue.UtcTicks - inverted, DateTimeKind.Utc));
    }

    private async Task ApplyAsync(string libraryId, DateOnly day, Dictionary<(string Scenario, string Status), int> delta, CancellationToken cancellationToken)
    {
        try
        {
            await EnsureSinceAsync(libraryId, cancellationToken);
            var table = await tables.GetAsync(TableName);
            var rowKey = DayPrefix + Key(day) + "|" + Random.Shared.Next(Shards).ToString(CultureInfo.InvariantCulture);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var found = await table.GetEntityIfExistsAsync<TableEntity>(libraryId, rowKey, cancellationToken: cancellationToken);
                    var counts = found.HasValue && found.Value is not null ? Parse(found.Value) : [];
                    foreach (var (key, n) in delta)
                    {
                        counts[key] = counts.GetValueOrDefault(key) + n;
                    }

                    var row = new TableEntity(libraryId, rowKey) { ["Counts"] = Serialize(counts) };
                    if (found.HasValue && found.Value is not null)
                    {
                        await table.UpdateEntityAsync(row, found.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                    }
                    else
                    {
                        await table.AddEntityAsync(row, cancellationToken);
                    }

                    return;
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
                {
                    // Another writer got there first: read its counts again after a short, jittered pause.
                    await Task.Delay(Random.Shared.Next(5, 20 * attempt), cancellationToken);
                }
            }
        }
        catch (RequestFailedException e)
        {
            // The log row is written and is what staff read; a lost count must not fail or repeat the send.
            LogLost(logger, libraryId, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), delta.Values.Sum(), e.Status);
        }
    }

    // The since row is written once per library (insert; a 409 means another process wrote it first).
    private async Task EnsureSinceAsync(string libraryId, CancellationToken cancellationToken)
    {
        if (_since.ContainsKey(libraryId))
        {
            return;
        }

        var table = await tables.GetAsync(TableName);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        try
        {
            await table.AddEntityAsync(new TableEntity(libraryId, SinceRowKey) { ["Day"] = Key(today) }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Counting had begun already.
        }

        _since[libraryId] = today;
    }

    private static string Key(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // Stored as {"scenario":{"Status":n}}: a property per pair would need names tables accept ('-' is not one).
    private static Dictionary<(string Scenario, string Status), int> Parse(TableEntity row) =>
        (JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, int>>>(row.GetString("Counts") ?? "{}") ?? [])
            .SelectMany(s => s.Value.Select(st => (Key: (s.Key, st.Key), st.Value)))
            .ToDictionary(p => p.Key, p => p.Value);

    private static string Serialize(Dictionary<(string Scenario, string Status), int> counts) =>
        JsonSerializer.Serialize(counts
            .Where(c => c.Value != 0)
            .GroupBy(c => c.Key.Scenario, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToDictionary(c => c.Key.Status, c => c.Value, StringComparer.Ordinal), StringComparer.Ordinal));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard counts of library {LibraryId} for {Day} not updated ({Rows} rows, storage status {Status}); the email log itself is complete.")]
    private static partial void LogLost(ILogger logger, string libraryId, string day, int rows, int status);
}
