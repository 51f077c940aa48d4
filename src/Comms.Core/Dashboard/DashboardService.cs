using System.Text.Json;
using Azure.Data.Tables;
using Comms.Circulation;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Storage;
using Comms.Suppression;

namespace Comms.Dashboard;

/// <summary>
/// Computes the dashboard from the email log's per-day counters (<see cref="EmailLogCounters"/>): one
/// small row per day and counting process. Days on or before the library's "since" day (counting
/// began then, so earlier rows were never counted) are read from the log itself with one bounded scan of the
/// library's partition: the row-key range of those days, only the RowKey, Status and Scenario columns. Row keys are
/// inverted ticks, so each row's time comes from its key. <see cref="MaxRows"/> bounds that scan; a library
/// sending more than that sees the newest rows counted and the page says from which day the counts are complete.
/// </summary>
public sealed class DashboardService(CommsTables tables, EmailLogCounters counters, LoanPlanIndex plans, LibraryStore libraries, BlacklistGrowth blacklistGrowth, TimeProvider time)
{
    /// <summary>At about 100 bytes a projected row this is a few seconds of reading, 200 table pages.</summary>
    public const int MaxRows = 200_000;

    private static readonly HashSet<string> AcceptedStatuses =
        [nameof(EmailStatus.Sent), nameof(EmailStatus.Delivered), nameof(EmailStatus.Bounced), nameof(EmailStatus.Complained)];

    private static readonly string[] AttentionStatuses = [nameof(EmailStatus.Failed), nameof(EmailStatus.InvalidAddress)];

    public async Task<DashboardReport> GetAsync(string libraryId, DashboardRequest request, CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var from = today.AddDays(1 - request.Days);
        var tally = new Tally(request.Scenario?.ToString());

        // Counters are complete from the day after the since day; everything before that is scanned.
        var since = await counters.SinceAsync(libraryId, cancellationToken);
        var countedFrom = since is { } s && s.AddDays(1) > from ? s.AddDays(1) : (since is null ? today.AddDays(1) : from);
        var scan = countedFrom > from
            ? await ScanAsync(libraryId, from, countedFrom, tally, cancellationToken)
            : (Truncated: false, OldestSeen: (DateOnly?)null);
        if (countedFrom <= today)
        {
            foreach (var (day, counts) in await counters.ReadAsync(libraryId, countedFrom, today, cancellationToken))
            {
                foreach (var ((scenario, status), n) in counts)
                {
                    // A count can only go below zero when a lost increment is followed by its report's move.
                    tally.Add(day, scenario, status, Math.Max(0, n));
                }
            }
        }

        var (added, addedTruncated) = await blacklistGrowth.CountAsync(libraryId, from, today, cancellationToken);
        return new DashboardReport
        {
            From = from,
            To = today,
            Scenario = tally.Scenario,
            Days = [.. Enumerable.Range(0, request.Days).Select(i => from.AddDays(i))
                .Select(d => new DashboardDay(d, tally.PerDay.TryGetValue(d, out var counts) ? counts : new Dictionary<string, int>()))],
            Health = new SendingHealth(tally.Accepted, tally.Bounced, tally.Complained),
            NeedsAttention = tally.Attention,

            // The day the scan stopped in was only partly read, so completeness starts the day after.
            Truncated = scan.Truncated,
            CompleteFrom = scan.Truncated ? scan.OldestSeen?.AddDays(1) : null,
            Planned = await PlannedAsync(libraryId, cancellationToken),
            BlacklistAdded = [.. Enumerable.Range(0, request.Days).Select(i => from.AddDays(i)).Select(d => new DashboardCount(d, added.GetValueOrDefault(d)))],
            BlacklistAddedTruncated = addedTruncated,
        };
    }

    /// <summary>Tonight's notices: the loans' steps at the next planned send time, from the send-time index.</summary>
    private async Task<PlannedNotices?> PlannedAsync(string libraryId, CancellationToken cancellationToken)
    {
        if (await plans.NextAsync(libraryId, time.GetUtcNow(), cancellationToken) is not { } next)
        {
            return null;
        }

        var zoneId = (await libraries.GetAsync(libraryId, cancellationToken))?.TimeZone ?? "UTC";
        var local = TimeZoneInfo.ConvertTime(next.At, LibraryTime.Zone(zoneId)).DateTime;
        return new PlannedNotices(next.At, DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zoneId, next.Steps, next.Truncated);
    }

    /// <summary>Counts the log rows of the UTC days <paramref name="from"/> up to (not including) <paramref name="until"/>.</summary>
    private async Task<(bool Truncated, DateOnly? OldestSeen)> ScanAsync(string libraryId, DateOnly from, DateOnly until, Tally tally, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(EmailLogStore.TableName);
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(until.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {libraryId}")
            + " and " + TableClient.CreateQueryFilter($"RowKey lt {TableKeys.NewestFirst(start) + "."}")
            + " and " + TableClient.CreateQueryFilter($"RowKey gt {TableKeys.NewestFirst(end) + "."}");
        var rows = 0;
        DateOnly? oldestSeen = null;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey", "Status", "Scenario"], cancellationToken: cancellationToken))
        {
            if (++rows > MaxRows)
            {
                return (true, oldestSeen);
            }

            var day = EmailLogCounters.DayOf(row.RowKey);
            oldestSeen = day;
            tally.Add(day, row.GetString("Scenario") ?? string.Empty, row.GetString("Status") ?? string.Empty, 1);
        }

        return (false, oldestSeen);
    }

    /// <summary>The day series (one scenario or all), the provider rates and the attention counts (always every scenario).</summary>
    private sealed class Tally(string? scenario)
    {
        public string? Scenario => scenario;

        public Dictionary<DateOnly, Dictionary<string, int>> PerDay { get; } = [];

        public Dictionary<string, int> Attention { get; } = AttentionStatuses.ToDictionary(Camel, _ => 0, StringComparer.Ordinal);

        public int Accepted { get; private set; }

        public int Bounced { get; private set; }

        public int Complained { get; private set; }

        public void Add(DateOnly day, string rowScenario, string status, int n)
        {
            if (n == 0)
            {
                return;
            }

            if (AcceptedStatuses.Contains(status))
            {
                Accepted += n;
                Bounced += status == nameof(EmailStatus.Bounced) ? n : 0;
                Complained += status == nameof(EmailStatus.Complained) ? n : 0;
            }

            if (Attention.ContainsKey(Camel(status)))
            {
                Attention[Camel(status)] += n;
            }

            if (scenario is null || string.Equals(rowScenario, scenario, StringComparison.Ordinal))
            {
                var counts = PerDay.TryGetValue(day, out var found) ? found : PerDay[day] = new Dictionary<string, int>(StringComparer.Ordinal);
                counts[Camel(status)] = counts.GetValueOrDefault(Camel(status)) + n;
            }
        }
    }

    private static string Camel(string status) => JsonNamingPolicy.CamelCase.ConvertName(status);
}
