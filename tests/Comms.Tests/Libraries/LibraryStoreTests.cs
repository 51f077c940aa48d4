using Comms.Common;
using Comms.Libraries;
using Comms.Scenarios;
using Comms.Security;
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
}
