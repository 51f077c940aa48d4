using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Storage;

namespace Comms.Circulation;

/// <summary>
/// What a head of school's weekly summary will list: each ladder step that fires adds its loans to the week of
/// the next summary (table <c>WeeklySummaries</c>, partition "{library}|{address hash}.{summary date}", one row per
/// loan, a later step of the same loan in the week replacing the earlier). <see cref="WeeklySummarySender"/>
/// sends each week once its summary time has passed. See docs/circulation.md.
/// </summary>
public sealed class WeeklySummaries(CommsTables tables)
{
    private const string TableName = "WeeklySummaries";
    private const string HeadRow = "~head";
    private const string SentRow = "~sent";
    private const string DateFormat = "yyyyMMdd";

    /// <summary>The date of the first weekly summary strictly after <paramref name="stepDate"/>: a step on the summary day goes in next week's.</summary>
    public static DateOnly SummaryDate(DateOnly stepDate, DayOfWeek weekday)
    {
        var days = ((int)weekday - (int)stepDate.DayOfWeek + 7) % 7;
        return stepDate.AddDays(days == 0 ? 7 : days);
    }

    public async Task RecordAsync(Library library, ScenarioKey key, SharedContact head, Patron patron, PlannedStep step, IReadOnlyList<LoanFact> loans, CancellationToken cancellationToken = default)
    {
        var settings = library.SettingsFor(key.Scenario).ContactDigests;
        var date = SummaryDate(step.ScheduledFor, settings.SummaryWeekday);
        var partition = $"{library.Id}|{ContactDigests.AddressHash(head.AddressKey)}.{date.ToString(DateFormat, CultureInfo.InvariantCulture)}";
        var table = await tables.GetAsync(TableName);
        var writes = loans.Select(loan => new JsonRow
        {
            PartitionKey = partition,
            RowKey = loan.LoanId,
            Data = JsonSerializer.Serialize(new WeekEntry(patron.Id, loan.LoanId, step.Step, step.FireAt), CommsJson.Options),
        }).Append(new JsonRow { PartitionKey = partition, RowKey = HeadRow, Data = JsonSerializer.Serialize(head, CommsJson.Options) });
        foreach (var batch in writes.Chunk(100))
        {
            await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken);
        }
    }

    /// <summary>The library's weeks whose summary date is on or before <paramref name="today"/> and not yet marked sent.</summary>
    public async Task<IReadOnlyList<PendingWeek>> DueAsync(string libraryId, DateOnly today, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var weeks = new Dictionary<string, (SharedContact? Head, List<WeekEntry> Entries, bool Sent)>(StringComparer.Ordinal);
        var rows = table.QueryAsync<JsonRow>(TableClient.CreateQueryFilter($"PartitionKey ge {libraryId + "|"} and PartitionKey lt {libraryId + "}"}"), cancellationToken: cancellationToken);
        await foreach (var row in rows)
        {
            if (SummaryDateOf(row.PartitionKey) is not { } date || date > today)
            {
                continue;
            }

            var week = weeks.TryGetValue(row.PartitionKey, out var found) ? found : (null, [], false);
            week = row.RowKey switch
            {
                HeadRow => week with { Head = JsonSerializer.Deserialize<SharedContact>(row.Data, CommsJson.Options) },
                SentRow => week with { Sent = true },
                _ => week with { Entries = [.. week.Entries, JsonSerializer.Deserialize<WeekEntry>(row.Data, CommsJson.Options)!] },
            };
            weeks[row.PartitionKey] = week;
        }

        return [.. weeks.Where(w => !w.Value.Sent && w.Value.Head is not null).Select(w => new PendingWeek(
            w.Key,
            SummaryDateOf(w.Key)!.Value,
            w.Value.Head!,
            w.Value.Entries))];
    }

    /// <summary>After the summary went (the ledger already makes a repeat harmless): the next run skips the week.</summary>
    public async Task MarkSentAsync(PendingWeek week, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        await table.UpsertEntityAsync(new JsonRow { PartitionKey = week.Partition, RowKey = SentRow, Data = "{}" }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Deletes one library's weeks whose summary date is before <paramref name="cutoff"/>.</summary>
    public async Task<int> DeleteBeforeAsync(string libraryId, DateOnly cutoff, CancellationToken cancellationToken = default) =>
        await DigestPartitions.DeleteAsync(await tables.GetAsync(TableName), libraryId, p => SummaryDateOf(p) is { } date && date < cutoff, cancellationToken);

    private static DateOnly? SummaryDateOf(string partition) =>
        DateOnly.TryParseExact(partition[(partition.LastIndexOf('.') + 1)..], DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}

public sealed record WeekEntry(string PatronId, string LoanId, string Step, DateTimeOffset FireAt);

/// <summary>One head of school's week, ready to summarise.</summary>
public sealed record PendingWeek(string Partition, DateOnly SummaryDate, SharedContact Head, IReadOnlyList<WeekEntry> Entries);
