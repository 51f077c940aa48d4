using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Comms.Common;
using Comms.Storage;
using Microsoft.Extensions.Options;

namespace Comms.Accounts;

/// <summary>
/// A rolling one-hour window of reset requests per patron, kept in Table Storage so it holds across
/// instances. Optimistic concurrency (ETag) makes two simultaneous requests count twice, never once.
/// </summary>
public sealed class PasswordResetThrottle(CommsTables tables, IOptions<AccountsOptions> options, TimeProvider clock)
{
    private const string TableName = "PasswordResetWindows";
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>A row untouched this long counts no request any more (the window is an hour): the purge deletes it.</summary>
    public static readonly TimeSpan IdleRowLifetime = TimeSpan.FromDays(1);

    public async Task AcquireAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        for (var attempt = 0; ; attempt++)
        {
            var now = clock.GetUtcNow();
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(libraryId, patronId, cancellationToken: cancellationToken);
            var row = existing.HasValue ? existing.Value! : new TableEntity(libraryId, patronId);
            var recent = Parse(row.GetString("Requests")).Where(t => now - t < Window).Order().ToList();
            if (recent.Count >= options.Value.PasswordResetsPerHour)
            {
                throw new TooManyRequestsException(
                    $"At most {options.Value.PasswordResetsPerHour} password reset emails per patron per hour.",
                    recent[0] + Window - now);
            }

            recent.Add(now);
            row["Requests"] = string.Join(';', recent.Select(t => t.UtcTicks.ToString(CultureInfo.InvariantCulture)));
            try
            {
                if (existing.HasValue)
                {
                    await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await table.AddEntityAsync(row, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 5)
            {
                // Someone else counted a request at the same moment: read again and recount.
            }
        }
    }

    /// <summary>Deletes one library's rows last written before <paramref name="cutoff"/> (by the table's own timestamp).</summary>
    public async Task<int> DeleteIdleSinceAsync(string libraryId, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var idle = table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {libraryId} and Timestamp lt {cutoff}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken);
        return await TableBatches.DeleteAllAsync(table, idle, cancellationToken);
    }

    /// <summary>Forgets a patron's recent requests (the patron is being erased).</summary>
    public async Task DeleteAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        using var response = await table.DeleteEntityAsync(libraryId, patronId, ETag.All, cancellationToken);
    }

    private static IEnumerable<DateTimeOffset> Parse(string? value) =>
        string.IsNullOrEmpty(value)
            ? []
            : value.Split(';').Select(t => new DateTimeOffset(long.Parse(t, CultureInfo.InvariantCulture), TimeSpan.Zero));
}
