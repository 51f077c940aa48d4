using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Comms.EmailLog;
using Comms.Storage;

namespace Comms.Dashboard;

/// <summary>
/// Computes the dashboard from the email log itself with one bounded scan of the library's partition: the row-key
/// range of the days asked for, reading only the RowKey, Status and Scenario columns (never the message JSON).
/// Row keys are inverted ticks, so each row's time comes from its key. Why a scan and not a per-day counter table:
/// the log's status changes after the send (a delivery report turns Sent into Bounced), so counters would need a
/// second, concurrent write on every report and a backfill for rows written before they existed; a scan is always
/// exactly the log. <see cref="MaxRows"/> bounds it; a library sending more than that in the range sees the newest
/// rows counted and the page says from which day the counts are complete (docs/staff-page.md).
/// </summary>
public sealed class DashboardService(CommsTables tables, TimeProvider time)
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
        var scenario = request.Scenario?.ToString();
        var perDay = new Dictionary<DateOnly, Dictionary<string, int>>();
        var accepted = 0;
        var bounced = 0;
        var complained = 0;
        var attention = AttentionStatuses.ToDictionary(Camel, _ => 0, StringComparer.Ordinal);
        var rows = 0;
        DateOnly? oldestSeen = null;

        var table = await tables.GetAsync(EmailLogStore.TableName);
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {libraryId}")
            + " and " + TableClient.CreateQueryFilter($"RowKey lt {TableKeys.NewestFirst(start) + "."}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey", "Status", "Scenario"], cancellationToken: cancellationToken))
        {
            if (++rows > MaxRows)
            {
                break;
            }

            var day = DayOf(row.RowKey);
            oldestSeen = day;
            var status = row.GetString("Status") ?? string.Empty;
            if (AcceptedStatuses.Contains(status))
            {
                accepted++;
                bounced += status == nameof(EmailStatus.Bounced) ? 1 : 0;
                complained += status == nameof(EmailStatus.Complained) ? 1 : 0;
            }

            if (attention.ContainsKey(Camel(status)))
            {
                attention[Camel(status)]++;
            }

            if (scenario is null || string.Equals(row.GetString("Scenario"), scenario, StringComparison.Ordinal))
            {
                var counts = perDay.TryGetValue(day, out var found) ? found : perDay[day] = new Dictionary<string, int>(StringComparer.Ordinal);
                counts[Camel(status)] = counts.GetValueOrDefault(Camel(status)) + 1;
            }
        }

        var truncated = rows > MaxRows;
        return new DashboardReport
        {
            From = from,
            To = today,
            Scenario = scenario,
            Days = [.. Enumerable.Range(0, request.Days).Select(i => from.AddDays(i))
                .Select(d => new DashboardDay(d, perDay.TryGetValue(d, out var counts) ? counts : new Dictionary<string, int>()))],
            Health = new SendingHealth(accepted, bounced, complained),
            NeedsAttention = attention,

            // The day the scan stopped in was only partly read, so completeness starts the day after.
            Truncated = truncated,
            CompleteFrom = truncated ? oldestSeen?.AddDays(1) : null,
        };
    }

    /// <summary>The UTC day of a log row from its key: the first 19 characters are inverted ticks (TableKeys.NewestFirst).</summary>
    internal static DateOnly DayOf(string rowKey)
    {
        var inverted = long.Parse(rowKey.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture);
        return DateOnly.FromDateTime(new DateTime(DateTimeOffset.MaxValue.UtcTicks - inverted, DateTimeKind.Utc));
    }

    private static string Camel(string status) => JsonNamingPolicy.CamelCase.ConvertName(status);
}
