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
        var changes = new List<TableTransactionAction>(3);
        if (next is not null)
        {
            changes.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(libraryId, key) { ["Step"] = next.Step, ["LoanId"] = loanId, ["FireAt"] = next.FireAt }));
            changes.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(libraryId, LoanPrefix + loanId) { ["StepRow"] = key }));
        }

        if (old is not null && old != key)
        {
            changes.Add(new(TableTransactionActionType.Delete, new TableEntity(libraryId, old), ETag.All));
        }

        if (next is null && pointer.HasValue)
        {
            changes.Add(new(TableTransactionActionType.Delete, new TableEntity(libraryId, LoanPrefix + loanId), ETag.All));
        }

        if (changes.Count == 0)
        {
            return;
        }

        // One transaction (the rows share the library's partition): the new step row, the pointer and the old row's
        // removal land together or not at all, so a crash never leaves a loan with no row or two.
        try
        {
            await table.SubmitTransactionAsync(changes, cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            // A repeated activity (or a concurrent clear) removed a row this one meant to delete: the same changes one
            // by one, the upserts first and the deletes tolerant, reach the same end.
            foreach (var change in changes)
            {
                if (change.ActionType == TableTransactionActionType.Delete)
                {
                    await DeleteIfExistsAsync(table, libraryId, change.Entity.RowKey, cancellationToken);
                }
                else
                {
                    await table.UpsertEntityAsync((TableEntity)change.Entity, TableUpdateMode.Replace, cancellationToken);
                }
            }
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
