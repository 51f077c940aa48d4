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
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public async Task AcquireAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync("PasswordResetWindows");
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

    private static IEnumerable<DateTimeOffset> Parse(string? value) =>
        string.IsNullOrEmpty(value)
            ? []
            : value.Split(';').Select(t => new DateTimeOffset(long.Parse(t, CultureInfo.InvariantCulture), TimeSpan.Zero));
}
