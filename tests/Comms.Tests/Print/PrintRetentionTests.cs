using Comms.Print;
using Comms.Retention;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Print;

/// <summary>The daily purge takes print batches made before the log's cutoff, with their items and PDFs, and keeps newer ones.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class PrintRetentionTests(EmulatorFixture emulators)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task PurgeLibraryAsync_BatchOlderThanTheLogsRetention_GoesWithItsItemsAndPdf()
    {
        await using var services = TestServices.Create(emulators);
        await services.GetRequiredService<Comms.Libraries.LibraryService>().CreateAsync(Samples.Library("lib"));
        var old = await BatchAsync(services, Now.AddDays(-401), "old");
        var recent = await BatchAsync(services, Now.AddDays(-399), "recent");

        var deleted = await services.GetRequiredService<ExpiredRecordsPurge>().PurgeLibraryAsync("lib", Now);

        var store = services.GetRequiredService<PrintBatchStore>();
        var files = services.GetRequiredService<PrintFileStore>();
        var items = services.GetRequiredService<PrintItemStore>();
        Assert.Equal(3, deleted.PrintRecords);
        Assert.Null(await store.GetAsync("lib", old));
        Assert.Null(await files.ReadAsync("lib", old));
        Assert.Empty(await items.ListBatchAsync("lib", old));
        Assert.NotNull(await store.GetAsync("lib", recent));
        Assert.NotNull(await files.ReadAsync("lib", recent));
        Assert.Single(await items.ListBatchAsync("lib", recent));
    }

    /// <summary>A ready batch of one item made at <paramref name="at"/>, stored as the batch run stores it.</summary>
    private static async Task<string> BatchAsync(ServiceProvider services, DateTimeOffset at, string name)
    {
        var id = PrintBatchStore.NewId(at);
        var item = new PrintItem
        {
            Id = name.PadRight(64, '0'),
            LibraryId = "lib",
            Scenario = "overdue",
            RecipientName = name,
            Heading = "Overdue items",
            Body = "- Dune",
            CreatedAt = at,
            BatchId = id,
        };
        await services.GetRequiredService<PrintItemStore>().TryInsertAsync(item);
        await services.GetRequiredService<PrintFileStore>().WriteAsync("lib", id, PrintPdf.Write("Library lib", DateOnly.FromDateTime(at.UtcDateTime), [item]));
        await services.GetRequiredService<PrintBatchStore>().UpsertAsync(new PrintBatch
        {
            Id = id, LibraryId = "lib", CreatedAt = at, State = PrintBatchState.Printed, ItemCount = 1, PageCount = 1,
        });
        return id;
    }
}
