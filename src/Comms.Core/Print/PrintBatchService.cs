using Comms.Common;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Storage;
using Microsoft.Extensions.Options;

namespace Comms.Print;

/// <summary>
/// The library's print batches: gathering the waiting printed notices into PDFs (daily by the timer, or at once when staff
/// ask), listing them, handing out a PDF and its items, and recording that staff printed one.
/// </summary>
public sealed class PrintBatchService(
    LibraryStore libraries,
    PrintItemStore items,
    PrintBatchStore batches,
    PrintFileStore files,
    EmailLogStore log,
    IOptions<PrintOptions> options,
    TimeProvider clock)
{
    /// <summary>Waiting items read per round; a run goes round until none wait.</summary>
    private const int ReadPerRound = 2000;

    /// <summary>
    /// Makes the library's batches from every waiting item: one per branch (items of patrons without a branch in the
    /// library's own), each at most <see cref="PrintOptions.MaxPagesPerBatch"/> pages; with <paramref name="branch"/>, only
    /// that branch's. First finishes any batch a crashed run left half made. Returns the batches made (none when nothing waits).
    /// </summary>
    public async Task<IReadOnlyList<PrintBatch>> CreateAsync(string libraryId, string? branch = null, CancellationToken cancellationToken = default)
    {
        var library = await libraries.GetAsync(libraryId, cancellationToken) ?? throw new NotFoundException($"Library '{libraryId}' was not found.");
        var made = new List<PrintBatch>();
        foreach (var building in (await batches.ListAsync(libraryId, 100, null, cancellationToken)).Items.Where(b => b.State == PrintBatchState.Building))
        {
            if (await FinishAsync(library, building, cancellationToken) is { } finished)
            {
                made.Add(finished);
            }
        }

        while (await items.ListWaitingAsync(libraryId, branch, ReadPerRound, cancellationToken) is { Count: > 0 } waiting)
        {
            var claimedAny = false;
            foreach (var group in waiting.GroupBy(w => w.Item.Branch ?? string.Empty, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                foreach (var chunk in group.Chunk(options.Value.MaxPagesPerBatch))
                {
                    // The batch row first: a run that stops after claiming items leaves it Building, and the next run
                    // finishes it from the items that name it, so no item is stranded in a batch nobody can see.
                    var now = clock.GetUtcNow();
                    var batch = new PrintBatch
                    {
                        Id = PrintBatchStore.NewId(now),
                        LibraryId = libraryId,
                        Branch = group.Key.Length == 0 ? null : group.Key,
                        CreatedAt = now,
                        State = PrintBatchState.Building,
                    };
                    await batches.UpsertAsync(batch, cancellationToken);
                    foreach (var (item, etag) in chunk)
                    {
                        claimedAny |= await items.TryClaimAsync(item, etag, batch.Id, cancellationToken);
                    }

                    if (await FinishAsync(library, batch, cancellationToken) is { } finished)
                    {
                        made.Add(finished);
                    }
                }
            }

            if (!claimedAny)
            {
                // Every item went to a run working beside this one; it makes those batches.
                break;
            }
        }

        return made;
    }

    /// <summary>Writes the PDF of the items that name the batch and marks it ready; a batch that got none is removed.</summary>
    private async Task<PrintBatch?> FinishAsync(Library library, PrintBatch batch, CancellationToken cancellationToken)
    {
        var pages = await items.ListBatchAsync(library.Id, batch.Id, cancellationToken);
        if (pages.Count == 0)
        {
            await batches.DeleteAsync(batch, cancellationToken);
            return null;
        }

        var date = LibraryClock.Today(library, batch.CreatedAt);
        await files.WriteAsync(library.Id, batch.Id, PrintPdf.Write(library.Name, date, pages), cancellationToken);
        var ready = batch with { State = PrintBatchState.Ready, ItemCount = pages.Count, PageCount = pages.Count };
        await batches.UpsertAsync(ready, cancellationToken);
        return ready;
    }

    public Task<Page<PrintBatch>> ListAsync(string libraryId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        batches.ListAsync(libraryId, pageSize, continuationToken, cancellationToken);

    public async Task<PrintBatch> GetAsync(string libraryId, string batchId, CancellationToken cancellationToken = default) =>
        await batches.GetAsync(libraryId, batchId, cancellationToken) ?? throw new NotFoundException($"Print batch '{batchId}' was not found.");

    /// <summary>The batch's items, one per page in page order (the letter's text included: staff check what went out).</summary>
    public async Task<IReadOnlyList<PrintItem>> ListItemsAsync(string libraryId, string batchId, CancellationToken cancellationToken = default)
    {
        await GetAsync(libraryId, batchId, cancellationToken);
        return await items.ListBatchAsync(libraryId, batchId, cancellationToken);
    }

    public async Task<byte[]> GetPdfAsync(string libraryId, string batchId, CancellationToken cancellationToken = default)
    {
        var batch = await GetAsync(libraryId, batchId, cancellationToken);
        if (batch.State == PrintBatchState.Building)
        {
            throw new ConflictException($"Print batch '{batchId}' is still being made; try again in a minute.");
        }

        return await files.ReadAsync(libraryId, batchId, cancellationToken) ?? throw new NotFoundException($"The PDF of print batch '{batchId}' was not found.");
    }

    /// <summary>
    /// Records that staff printed the batch (who and when, kept on the batch) and turns its items' log rows to Printed.
    /// Idempotent: a batch already printed is answered as it is, its first confirmation kept.
    /// </summary>
    public async Task<PrintBatch> MarkPrintedAsync(string libraryId, string batchId, string by, CancellationToken cancellationToken = default)
    {
        var batch = await GetAsync(libraryId, batchId, cancellationToken);
        switch (batch.State)
        {
            case PrintBatchState.Printed:
                return batch;
            case PrintBatchState.Building:
                throw new ConflictException($"Print batch '{batchId}' is still being made; it cannot have been printed yet.");
        }

        var now = clock.GetUtcNow();
        foreach (var item in await items.ListBatchAsync(libraryId, batchId, cancellationToken))
        {
            if (item.LogEntryId is { } entryId)
            {
                await log.UpdateStatusAsync(libraryId, entryId, EmailStatus.Printed, $"Printed in batch {batchId}.", cancellationToken);
            }

            if (item.PrintedAt is null)
            {
                await items.ReplaceAsync(item with { PrintedAt = now }, cancellationToken);
            }
        }

        var printed = batch with { State = PrintBatchState.Printed, PrintedAt = now, PrintedBy = by };
        await batches.UpsertAsync(printed, cancellationToken);
        return printed;
    }

    /// <summary>Every library's batches, for the daily timer; a library that fails is left for the next run.</summary>
    public async Task<int> CreateForAllAsync(CancellationToken cancellationToken = default)
    {
        var made = 0;
        await foreach (var libraryId in libraries.ListIdsAsync(cancellationToken))
        {
            made += (await CreateAsync(libraryId, null, cancellationToken)).Count;
        }

        return made;
    }
}
