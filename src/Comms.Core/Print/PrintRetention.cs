namespace Comms.Print;

/// <summary>
/// The retention purge's part for printed notices: a batch made before the cutoff goes with its PDF and its items, as
/// the log rows that record them go after the same number of days (Comms:Retention:EmailLogDays).
/// </summary>
public sealed class PrintRetention(PrintBatchStore batches, PrintItemStore items, PrintFileStore files)
{
    /// <summary>Returns how many rows and blobs it deleted.</summary>
    public async Task<int> DeleteOlderThanAsync(string libraryId, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var deleted = 0;
        foreach (var batch in await batches.ListMadeBeforeAsync(libraryId, cutoff, cancellationToken))
        {
            // The PDF and items first: a purge cut short leaves the batch row, which the next run finds again.
            await files.DeleteAsync(libraryId, batch.Id, cancellationToken);
            deleted += 1 + await items.DeleteBatchAsync(libraryId, batch.Id, cancellationToken);
            await batches.DeleteAsync(batch, cancellationToken);
            deleted++;
        }

        return deleted;
    }
}
