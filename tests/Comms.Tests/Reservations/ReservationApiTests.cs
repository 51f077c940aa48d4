using Comms.Tests.Infrastructure;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Reservations;

/// <summary>Bad input (400 problem+json per field), unknown reservations (404) and another library's key (403).</summary>
[Collection(EmulatorCollection.Name)]
public sealed class ReservationApiTests(EmulatorFixture emulators)
{
    public static TheoryData<string, string[]> BadPlacements() => new()
    {
        { "{\"patronId\": \"p1\", \"title\": \"Dune\"}", ["reservationId"] },
        { "{\"reservationId\": \"../r\", \"patronId\": \"p 1\", \"title\": \"\"}", ["reservationId", "patronId", "title"] },
        { "{\"reservationId\": \"r1\", \"patronId\": \"p1\", \"title\": \"Dune\\r\\nBcc: x@evil.example\"}", ["title"] },
        { "not json", [] },
    };

    [Theory]
    [MemberData(nameof(BadPlacements))]
    public async Task PlaceReservation_BadInput_Is400WithFieldErrors(string body, string[] fields)
    {
        var (host, client, libraryId) = await StartAsync();

        using var response = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/reservations", body));

        await response.AssertProblemAsync(400, fields);
        Assert.Empty(await host.OutboxAsync(libraryId));
    }

    [Theory]
    [InlineData("ready", "{\"pickupLocation\": \"Desk\"}", "pickupBy")]
    [InlineData("ready", "{\"pickupBy\": \"2001-01-01T00:00:00Z\"}", "pickupBy")]
    [InlineData("ready", "{\"pickupBy\": \"soon\"}", "")]
    [InlineData("cancel", "{}", "reason")]
    public async Task ReservationEvents_BadInput_Is400(string verb, string body, string field)
    {
        var (_, client, libraryId) = await StartAsync();
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/reservations", new { reservationId = "r1", patronId = "p1", title = "Dune" }, System.Net.HttpStatusCode.Created);

        using var response = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/reservations/r1/{verb}", body));

        await response.AssertProblemAsync(400, field.Length == 0 ? [] : [field]);
    }

    [Fact]
    public async Task Ready_WithoutAnyPickupLocation_Is400()
    {
        var (_, client, libraryId) = await StartAsync();
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/reservations", new { reservationId = "r1", patronId = "p1", title = "Dune" }, System.Net.HttpStatusCode.Created);

        using var response = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/reservations/r1/ready", Serialize(new { pickupBy = DateTimeOffset.UtcNow.AddDays(3) })));

        await response.AssertProblemAsync(400, "pickupLocation");
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("POST", "/ready")]
    [InlineData("POST", "/collected")]
    [InlineData("POST", "/cancel")]
    public async Task UnknownReservation_Is404(string method, string suffix)
    {
        var (_, client, libraryId) = await StartAsync();
        var body = suffix == "/ready" ? Serialize(new { pickupBy = DateTimeOffset.UtcNow.AddDays(3), pickupLocation = "Desk" }) : suffix == "/cancel" ? "{\"reason\": \"x\"}" : null;

        using var response = await client.SendAsync(Request(new HttpMethod(method), $"/api/libraries/{libraryId}/reservations/nobody{suffix}", body));

        await response.AssertProblemAsync(404);
    }

    [Fact]
    public async Task PlaceReservation_UnknownPatron_Is404AndChangesNothing()
    {
        var (host, client, libraryId) = await StartAsync();

        using var place = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/reservations", Serialize(new { reservationId = "r1", patronId = "ghost", title = "Dune" })));
        using var get = await client.GetAsync($"/api/libraries/{libraryId}/reservations/r1");

        var problem = await place.AssertProblemAsync(404);
        Assert.Contains("ghost", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await get.AssertProblemAsync(404);
        Assert.Empty(await host.OutboxAsync(libraryId));
    }

    [Fact]
    public async Task AnotherLibrarysKey_Is403AndChangesNothing()
    {
        var (host, client, libraryId) = await StartAsync();
        var (_, other, _) = await StartAsync();
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/reservations", new { reservationId = "r1", patronId = "p1", title = "Dune" }, System.Net.HttpStatusCode.Created);

        using var place = await other.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/reservations", Serialize(new { reservationId = "r2", patronId = "p1", title = "Emma" })));
        using var get = await other.GetAsync($"/api/libraries/{libraryId}/reservations/r1");
        using var cancel = await other.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/reservations/r1/cancel", "{\"reason\": \"x\"}"));

        await place.AssertProblemAsync(403);
        await get.AssertProblemAsync(403);
        await cancel.AssertProblemAsync(403);
        Assert.Single(await host.OutboxAsync(libraryId));
    }

    private async Task<(EndToEndHost Host, HttpClient Client, string LibraryId)> StartAsync()
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = $"api-{Guid.NewGuid():N}"[..20];
        return (host, await host.CreateLibraryAsync(Samples.Library(libraryId) with { TimeZone = "UTC" }, Samples.Patron("p1")), libraryId);
    }
}
