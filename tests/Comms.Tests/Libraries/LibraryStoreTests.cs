using Azure.Data.Tables;
using Comms.Common;
using Comms.Libraries;
using Comms.Scenarios;
using Comms.Security;
using Comms.Storage;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Libraries;

[Collection(EmulatorCollection.Name)]
public sealed class LibraryStoreTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task CreateAsync_NewLibrary_RoundTripsEverySettingAndStoresOnlyTheKeyHash()
    {
        await using var services = TestServices.Create(emulators);
        var libraries = services.GetRequiredService<LibraryService>();
        var library = Samples.Library("lib-1") with
        {
            ClosedDates = [new DateOnly(2026, 12, 25)],
            Timing = new NoticeTiming { PreOverdueDaysBefore = 2, OverdueGraceDays = 0, EscalationDaysAfterDue = [5, 10, 20, 40] },
        };

        var (_, apiKey) = await libraries.CreateAsync(library);
        var stored = await libraries.GetAsync("lib-1");
        var hash = await services.GetRequiredService<LibraryKeyStore>().GetHashAsync("lib-1");

        Assert.Equal(library.Name, stored.Name);
        Assert.Equal(library.TimeZone, stored.TimeZone);
        Assert.Equal(library.ClosedDates, stored.ClosedDates);
        Assert.Equal([5, 10, 20, 40], stored.Timing.EscalationDaysAfterDue);
        Assert.Equal(library.SettingsFor(Scenario.Overdue).Roles, stored.SettingsFor(Scenario.Overdue).Roles);
        Assert.NotEqual(apiKey, hash);
        Assert.Equal(ApiKeys.Hash(apiKey), hash);
    }

    [Fact]
    public async Task CreateAsync_SameIdTwice_ConflictsAndKeepsTheFirst()
    {
        await using var services = TestServices.Create(emulators);
        var libraries = services.GetRequiredService<LibraryService>();
        await libraries.CreateAsync(Samples.Library("dup"));

        await Assert.ThrowsAsync<ConflictException>(() => libraries.CreateAsync(Samples.Library("dup") with { Name = "Other" }));
        Assert.Equal(Samples.Library("dup").Name, (await libraries.GetAsync("dup")).Name);
    }

    [Fact]
    public async Task DeleteAsync_Library_EmptiesItsPartitionInEveryLibraryTableAndLeavesOthersAlone()
    {
        await using var services = TestServices.Create(emulators);
        var libraries = services.GetRequiredService<LibraryService>();
        var tables = services.GetRequiredService<CommsTables>();
        await libraries.CreateAsync(Samples.Library("doomed"));
        await libraries.CreateAsync(Samples.Library("kept"));
        foreach (var name in LibraryDataPurge.TablesPartitionedByLibrary)
        {
            var table = await tables.GetAsync(name);
            await table.UpsertEntityAsync(new TableEntity("doomed", "row-1"));
            await table.UpsertEntityAsync(new TableEntity("kept", "row-1"));
        }

        // "doomed-2" shares the prefix "doomed" but not "doomed|": its rows must stay.
        foreach (var name in LibraryDataPurge.TablesKeyedByLibraryPrefix)
        {
            var table = await tables.GetAsync(name);
            await table.UpsertEntityAsync(new TableEntity("doomed|p1", "row-1"));
            await table.UpsertEntityAsync(new TableEntity("doomed-2|p1", "row-1"));
        }

        await libraries.DeleteAsync("doomed");

        foreach (var name in LibraryDataPurge.TablesPartitionedByLibrary)
        {
            var table = await tables.GetAsync(name);
            Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("doomed", "row-1")).HasValue, $"{name} kept a deleted library's row");
            Assert.True((await table.GetEntityIfExistsAsync<TableEntity>("kept", "row-1")).HasValue, $"{name} lost another library's row");
        }

        foreach (var name in LibraryDataPurge.TablesKeyedByLibraryPrefix)
        {
            var table = await tables.GetAsync(name);
            Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("doomed|p1", "row-1")).HasValue, $"{name} kept a deleted library's row");
            Assert.True((await table.GetEntityIfExistsAsync<TableEntity>("doomed-2|p1", "row-1")).HasValue, $"{name} lost another library's row");
        }

        await Assert.ThrowsAsync<NotFoundException>(() => libraries.GetAsync("doomed"));
    }
}
