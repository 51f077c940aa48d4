using System.Globalization;
using Azure.Data.Tables;
using Comms.Storage;

namespace Comms.Circulation;

/// <summary>
/// The digest tables' shared key layout: partitions "{library}|…{.time}" end with the send time (or the summary
/// date), one key range per library ('}' is the character after '|', and ids use no character above 'z').
/// </summary>
internal static class DigestPartitions
{
    public const string FireTimeFormat = "yyyyMMdd'T'HHmmssfff";

    public static string FireTime(DateTimeOffset fireAt) => fireAt.UtcDateTime.ToString(FireTimeFormat, CultureInfo.InvariantCulture);

    /// <summary>The send time at the end of a digest partition key; null for a key this code did not write.</summary>
    public static DateTimeOffset? FireTimeOf(string partition)
    {
        var time = partition[(partition.LastIndexOf('.') + 1)..];
        return DateTime.TryParseExact(time, FireTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var fireAt)
            ? new DateTimeOffset(fireAt, TimeSpan.Zero)
            : null;
    }

    /// <summary>
    /// Deletes one library's rows whose partition <paramref name="isOld"/> says are past: only a step's own firing and its
    /// retries read a digest, so after that it is dead weight.
    /// </summary>
    public static async Task<int> DeleteAsync(TableClient table, string libraryId, Func<string, bool> isOld, CancellationToken cancellationToken)
    {
        var rows = table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey ge {libraryId + "|"} and PartitionKey lt {libraryId + "}"}"),
            select: ["PartitionKey", "RowKey"],
            cancellationToken: cancellationToken);
        return await TableBatches.DeleteAllAsync(table, TableBatches.WhereAsync(rows, row => isOld(row.PartitionKey), cancellationToken), cancellationToken);
    }
}
