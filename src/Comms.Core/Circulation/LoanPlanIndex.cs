using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Comms.Storage;

namespace Comms.Circulation;

/// <summary>
/// Each active loan's next planned step, indexed by send time, so "what goes out at the next send time" is one key
/// range of the library's partition and never a query over orchestrations (whose custom status holds the same
/// step). Table <c>PlannedSteps</c>, partition the library id:
/// <list type="bullet">
/// <item>"t|{fireAt UTC}|{loanId}": the step (scenario key) the loan waits for at that instant;</item>
/// <item>"l|{loanId}": which "t|" row is the loan's, so a re-plan (step sent, renewal, recall) replaces it.</item>
/// </list>
/// Written by <see cref="LoanStepPlanner"/> each time it plans (the activities are at-least-once: every write is an
/// upsert or a delete, so a repeat changes nothing), and cleared when the loan's ladder ends (returned, lost, last
/// step). A loan holds at most these two rows; the table is as large as the library's active loans.
/// </summary>
public sealed class LoanPlanIndex(CommsTables tables)
{
    public const string TableName = "PlannedSteps";

    /// <summary>The most rows one send time is counted from (a library's loans reaching a step that night).</summary>
    public const int MaxRows = 100_000;

    private const string StepPrefix = "t|";
    private const string LoanPrefix = "l|";

    /// <summary>Makes <paramref name="next"/> the loan's one planned step (null: it has none any more).</summary>
    public async Task RecordAsync(string libraryId, string loanId, PlannedStep? next, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var pointer = await table.GetEntityIfExistsAsync<TableEntity>(libraryId, LoanPrefix + loanId, cancellationToken: cancellationToken);
        var old = pointer.HasValue ? pointer.Value?.GetString("StepRow") : null;
        var key = next is null ? null : StepKey(next.FireAt, loanId);
        if (next is not null)
        {
            // The new step row first, then the pointer, then the old row: a crash in between leaves the old row
            // (found and replaced by the retried activity through the pointer), never a loan with no row.
            await table.UpsertEntityAsync(
                new TableEntity(libraryId, key) { ["Step"] = next.Step, ["LoanId"] = loanId, ["FireAt"] = next.FireAt },
                TableUpdateMode.Replace, cancellationToken);
            await table.UpsertEntityAsync(new TableEntity(libraryId, LoanPrefix + loanId) { ["StepRow"] = key }, TableUpdateMode.Replace, cancellationToken);
        }

        if (old is not null && old != key)
        {
            await DeleteIfExistsAsync(table, libraryId, old, cancellationToken);
        }

        if (next is null && pointer.HasValue)
        {
            await DeleteIfExistsAsync(table, libraryId, LoanPrefix + loanId, cancellationToken);
        }
    }

    /// <summary>The loan's ladder ended (returned, declared lost): it plans nothing more.</summary>
    public Task ClearAsync(string libraryId, string loanId, CancellationToken cancellationToken = default) =>
        RecordAsync(libraryId, loanId, null, cancellationToken);

    /// <summary>
    /// The first planned send time at or after <paramref name="now"/> and the steps planned for exactly that instant
    /// (every loan's step of one day fires at the library's send time), at most <see cref="MaxRows"/> rows read.
    /// </summary>
    public async Task<PlannedSendTime?> NextAsync(string libraryId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var first = TableClient.CreateQueryFilter(
            $"PartitionKey eq {libraryId} and RowKey ge {StepPrefix + FireTime(now)} and RowKey lt {StepPrefix + "~"}");
        DateTimeOffset? at = null;
        await foreach (var row in table.QueryAsync<TableEntity>(first, maxPerPage: 1, select: ["FireAt"], cancellationToken: cancellationToken))
        {
            at = row.GetDateTimeOffset("FireAt");
            break;
        }

        if (at is not { } fireAt)
        {
            return null;
        }

        // '}' is the character after '|': the range is exactly the rows of that instant.
        var prefix = StepPrefix + FireTime(fireAt) + "|";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {libraryId} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + "}"}");
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["Step"], cancellationToken: cancellationToken))
        {
            if (++rows > MaxRows)
            {
                return new PlannedSendTime(fireAt, counts, Truncated: true);
            }

            var step = row.GetString("Step") ?? string.Empty;
            counts[step] = counts.GetValueOrDefault(step) + 1;
        }

        return new PlannedSendTime(fireAt, counts, Truncated: false);
    }

    private static string StepKey(DateTimeOffset fireAt, string loanId) => StepPrefix + FireTime(fireAt) + "|" + loanId;

    private static string FireTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture);

    private static async Task DeleteIfExistsAsync(TableClient table, string partition, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partition, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // A repeated activity deleted it already.
        }
    }
}

/// <summary>The next planned send time and how many loans reach each step (scenario key) then.</summary>
public sealed record PlannedSendTime(DateTimeOffset At, IReadOnlyDictionary<string, int> Steps, bool Truncated);
