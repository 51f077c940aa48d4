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
/// Counting costs the send path no storage call. Each process adds to its own totals in memory and
/// <see cref="FlushAsync"/> (every few seconds, and at shutdown) writes each changed total as one row of its own
/// (library, day, this process's counter id): a blind upsert of absolute numbers, so no read, no ETag race and no
/// retry, and a repeated flush writes the same numbers again. A day's count is the sum of its rows, plus this
/// process's totals not yet flushed. A read-modify-write counter row per day cost two table calls per log row
/// and retried on its ETag at a busy send time; what this trades is that a process that dies loses at most its
/// last few seconds of counts (one interval; never a double count).
/// </para>
/// <para>
/// Why it does not double-count: a count is added only after the log row's insert succeeded, and only for rows
/// that insert wrote. A retried send that repeats a Sent row collides on the row's deterministic id (409) and adds
/// nothing. A delivery report moves one count from the old status to the new, only when its ETag update of the log
/// row succeeded and the status changed, so a repeated report moves nothing. Each library has a "since" row,
/// written at its first count: days up to and including that UTC day may hold rows written before counting began,
/// so the dashboard scans the log for those days and reads counters after it.
/// </para>
/// </summary>
public sealed partial class EmailLogCounters(CommsTables tables, TimeProvider time, ILogger<EmailLogCounters> logger)
{
    public const string TableName = "EmailLogDaily";

    /// <summary>Totals untouched this long, and flushed, leave memory; a later change starts a new row.</summary>
    public static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(30);

    private const string SinceRowKey = "since";
    private const string DayPrefix = "d|";

    // Names this process's rows: a restarted process starts new ones rather than overwrite a dead one's numbers.
    private readonly string _process = Guid.NewGuid().ToString("N")[..12];
    private readonly ConcurrentDictionary<(string LibraryId, DateOnly Day), DayTotals> _totals = new();
    private readonly ConcurrentDictionary<string, DateOnly> _since = new(StringComparer.Ordinal);
    private readonly Lock _evictGate = new();
    private long _generation;

    /// <summary>Counts rows the caller has just inserted into the log (see the class remarks).</summary>
    public async Task AddAsync(IEnumerable<EmailLogEntry> written, CancellationToken cancellationToken = default)
    {
        foreach (var entry in written)
        {
            await EnsureSinceAsync(entry.LibraryId, cancellationToken);
            Apply(entry.LibraryId, DayOf(entry.Id), entry.Scenario, entry.Status.ToString(), 1);
        }
    }

    /// <summary>Moves one count of the row <paramref name="rowKey"/> from its old status to its new one.</summary>
    public Task MoveAsync(string libraryId, string rowKey, string scenario, string from, string to, CancellationToken cancellationToken = default)
    {
        var day = DayOf(rowKey);
        Apply(libraryId, day, scenario, from, -1);
        Apply(libraryId, day, scenario, to, 1);
        return Task.CompletedTask;
    }

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
    /// range query of a row per day and counting process, with this process's unflushed totals in place of its rows.
    /// </summary>
    public async Task<IReadOnlyDictionary<DateOnly, Dictionary<(string Scenario, string Status), int>>> ReadAsync(
        string libraryId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {libraryId} and RowKey ge {DayPrefix + Key(from)} and RowKey lt {DayPrefix + Key(to.AddDays(1))}");
        var mine = _totals.Where(t => t.Key.LibraryId == libraryId && t.Key.Day >= from && t.Key.Day <= to).ToList();
        var mineRows = mine.Select(t => RowKey(t.Key.Day, t.Value.Counter)).ToHashSet(StringComparer.Ordinal);
        var days = new Dictionary<DateOnly, Dictionary<(string, string), int>>();
        void Add(DateOnly day, IEnumerable<KeyValuePair<(string, string), int>> counts)
        {
            var sum = days.TryGetValue(day, out var found) ? found : days[day] = [];
            foreach (var (key, n) in counts)
            {
                sum[key] = sum.GetValueOrDefault(key) + n;
            }
        }

        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (!mineRows.Contains(row.RowKey))
            {
                Add(DateOnly.ParseExact(row.RowKey.AsSpan(DayPrefix.Length, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture), Parse(row));
            }
        }

        foreach (var ((_, day), totals) in mine)
        {
            Add(day, totals.Snapshot().Counts);
        }

        return days;
    }

    /// <summary>
    /// Writes each total changed since the last flush as this process's row of its library and day, and lets idle,
    /// flushed totals go. A failed write stays changed and is written at the next flush.
    /// </summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var written = 0;
        var now = time.GetUtcNow();
        foreach (var ((libraryId, day), totals) in _totals)
        {
            var (counts, version, changed) = totals.Snapshot();
            if (changed)
            {
                try
                {
                    var row = new TableEntity(libraryId, RowKey(day, totals.Counter)) { ["Counts"] = Serialize(counts) };
                    await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
                    totals.Flushed(version);
                    written++;
                }
                catch (RequestFailedException e)
                {
                    // Left changed: the next flush writes it, with whatever was added meanwhile.
                    LogFlushFailed(logger, libraryId, Key(day), e.Status);
                }
            }
            else if (now - totals.LastChange > IdleAfter)
            {
                // Under the gate Apply counts under, so no count lands on totals that have just left.
                lock (_evictGate)
                {
                    if (!totals.Snapshot().Changed)
                    {
                        _totals.TryRemove((libraryId, day), out _);
                    }
                }
            }
        }

        return written;
    }

    /// <summary>Deletes one library's day rows before <paramref name="cutoff"/> (retention), in memory too; the since row stays.</summary>
    public async Task<int> DeleteBeforeAsync(string libraryId, DateOnly cutoff, CancellationToken cancellationToken = default)
    {
        lock (_evictGate)
        {
            foreach (var key in _totals.Keys.Where(k => k.LibraryId == libraryId && k.Day < cutoff))
            {
                _totals.TryRemove(key, out _);
            }
        }

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

    private void Apply(string libraryId, DateOnly day, string scenario, string status, int delta)
    {
        lock (_evictGate)
        {
            _totals.GetOrAdd((libraryId, day), _ => new DayTotals($"{_process}-{Interlocked.Increment(ref _generation)}"))
                .Add((scenario, status), delta, time.GetUtcNow());
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

    private static string RowKey(DateOnly day, string counter) => DayPrefix + Key(day) + "|" + counter;

    private static string Key(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // Stored as {"scenario":{"Status":n}}: a property per pair would need names tables accept ('-' is not one).
    private static Dictionary<(string Scenario, string Status), int> Parse(TableEntity row) =>
        (JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, int>>>(row.GetString("Counts") ?? "{}") ?? [])
            .SelectMany(s => s.Value.Select(st => (Key: (s.Key, st.Key), st.Value)))
            .ToDictionary(p => p.Key, p => p.Value);

    private static string Serialize(IReadOnlyDictionary<(string Scenario, string Status), int> counts) =>
        JsonSerializer.Serialize(counts
            .Where(c => c.Value != 0)
            .GroupBy(c => c.Key.Scenario, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToDictionary(c => c.Key.Status, c => c.Value, StringComparer.Ordinal), StringComparer.Ordinal));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard counts of library {LibraryId} for {Day} not written (storage status {Status}); they are kept and written at the next flush.")]
    private static partial void LogFlushFailed(ILogger logger, string libraryId, string day, int status);

    /// <summary>One process's counts of one library and day, with a version so a flush knows what it wrote.</summary>
    private sealed class DayTotals(string counter)
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<(string, string), int> _counts = [];
        private long _version;
        private long _flushedVersion;

        public string Counter { get; } = counter;

        public DateTimeOffset LastChange { get; private set; }

        public void Add((string, string) key, int delta, DateTimeOffset at)
        {
            lock (_gate)
            {
                _counts[key] = _counts.GetValueOrDefault(key) + delta;
                _version++;
                LastChange = at;
            }
        }

        public (IReadOnlyDictionary<(string Scenario, string Status), int> Counts, long Version, bool Changed) Snapshot()
        {
            lock (_gate)
            {
                return (new Dictionary<(string, string), int>(_counts), _version, _version != _flushedVersion);
            }
        }

        public void Flushed(long version)
        {
            lock (_gate)
            {
                _flushedVersion = Math.Max(_flushedVersion, version);
            }
        }
    }
}
