using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Comms.Common;
using Comms.Storage;

namespace Comms.Reservations;

/// <summary>
/// Reservations in Table Storage (partition = library, row = reservation id). State changes are compare-and-swap
/// on the row's ETag: an expiry and a collected event arriving together cannot both win.
/// </summary>
public sealed class ReservationStore(CommsTables tables)
{
    private const string TableName = "Reservations";

    public async Task<(Reservation Reservation, ETag ETag)?> GetAsync(string libraryId, string reservationId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var row = await table.GetEntityIfExistsAsync<JsonRow>(libraryId, reservationId, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is not null
            ? (JsonSerializer.Deserialize<Reservation>(row.Value.Data, CommsJson.Options)!, row.Value.ETag)
            : null;
    }

    /// <summary>Inserts; false when the id is taken.</summary>
    public async Task<bool> TryInsertAsync(Reservation reservation, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        try
        {
            await table.AddEntityAsync(Row(reservation), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Replaces the row only if nobody changed it since <paramref name="etag"/> was read.</summary>
    public async Task<bool> TryReplaceAsync(Reservation reservation, ETag etag, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        try
        {
            await table.UpdateEntityAsync(Row(reservation), etag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Deletes one library's reservations collected, cancelled or expired before <paramref name="cutoff"/>.
    /// State and closing time live in the document, so the library's reservations are streamed and read.
    /// </summary>
    public async Task<int> DeleteClosedBeforeAsync(string libraryId, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var closed = TableBatches.WhereAsync(
            table.QueryAsync<JsonRow>(r => r.PartitionKey == libraryId, cancellationToken: cancellationToken),
            row => JsonSerializer.Deserialize<Reservation>(row.Data, CommsJson.Options) is { IsClosed: true, ClosedAt: { } closedAt } && closedAt < cutoff,
            cancellationToken);
        return await TableBatches.DeleteAllAsync(table, closed, cancellationToken);
    }

    private static JsonRow Row(Reservation r) => new()
    {
        PartitionKey = r.LibraryId,
        RowKey = r.ReservationId,
        Data = JsonSerializer.Serialize(r, CommsJson.Options),
    };
}
