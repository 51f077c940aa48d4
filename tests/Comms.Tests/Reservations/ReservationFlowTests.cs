using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Comms.Libraries;
using Comms.Reservations;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Comms.Tests.Reservations;

/// <summary>
/// Reservations on the real durable engine through the real dispatcher to the pickup folder and the email log.
/// One "day" is one second, so the expiring reminder (2 days before pickup-by) fires 2 s before it.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ReservationFlowTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private static DateTimeOffset InDays(double days) => DateTimeOffset.UtcNow + (EndToEndHost.DayLength * days);

    [Fact]
    public async Task Placed_SendsTheConfirmationOnce_EvenWhenPostedTwice()
    {
        var (host, client, libraryId) = await StartAsync();
        var placed = new { reservationId = "r1", patronId = "p1", title = "Dune", author = "Frank Herbert", pickupLocation = "Main desk" };

        var first = await PostAsync(client, $"/api/libraries/{libraryId}/reservations", placed, HttpStatusCode.Created);
        var again = await PostAsync(client, $"/api/libraries/{libraryId}/reservations", placed, HttpStatusCode.OK);

        Assert.Equal("requested", first.GetProperty("reservation").GetProperty("status").GetString());
        Assert.False(again.GetProperty("changed").GetBoolean());
        var message = Assert.Single(await host.OutboxAsync(libraryId));
        Assert.Equal("p1@pupils.example.org", message.To.Mailboxes.Single().Address);
        Assert.Contains("Dune", message.TextBody, StringComparison.Ordinal);
        Assert.Equal(["reservation-requested"], await host.SentAsync(libraryId));
    }

    [Fact]
    public async Task Ready_NotCollected_SendsReadyExpiringAndExpiredThenRefusesCollected()
    {
        var (host, client, libraryId) = await StartAsync();
        await PlaceAsync(client, libraryId, "r2");

        await PostAsync(client, $"/api/libraries/{libraryId}/reservations/r2/ready", new { pickupLocation = "Branch desk", pickupBy = InDays(4) }, HttpStatusCode.Accepted);
        var sent = await EndToEndHost.EventuallyAsync(() => host.SentAsync(libraryId), s => s.Count >= 4, Wait, "ready, expiring, expired");
        var view = await EndToEndHost.EventuallyAsync(() => GetAsync(client, libraryId, "r2"), v => v.GetProperty("runtimeStatus").GetString() == "Completed", Wait, "completion");
        var collected = await PostAsync(client, $"/api/libraries/{libraryId}/reservations/r2/collected", null, HttpStatusCode.Conflict);

        // "Requested" goes through the outbox and "ready" through the orchestration: either may be logged first.
        Assert.Equal(["reservation-expired", "reservation-expiring", "reservation-ready", "reservation-requested"], sent.Order(StringComparer.Ordinal));
        Assert.Equal("expired", view.GetProperty("reservation").GetProperty("status").GetString());
        Assert.Equal("expired", view.GetProperty("notices").GetProperty("state").GetString());
        Assert.Contains("was expired", collected.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(await host.OutboxAsync(libraryId), m => m.Subject!.Contains("Ready to collect", StringComparison.Ordinal) && m.TextBody!.Contains("Branch desk", StringComparison.Ordinal));
        Assert.Equal(4, (await host.OutboxAsync(libraryId)).Count);
    }

    /// <summary>
    /// The post that marked the reservation ready died before its start was recorded: a repeat within the start
    /// grace answers 503 and starts nothing; after it, the repeat starts the reservation's notices.
    /// </summary>
    [Fact]
    public async Task ReadyRepeatedAfterACrashBeforeTheStart_WaitsOutTheGraceThenStarts()
    {
        var (host, client, libraryId) = await StartAsync();
        await PlaceAsync(client, libraryId, "r9");
        var ready = new { pickupLocation = "Branch desk", pickupBy = InDays(20) };
        await host.App.Services.GetRequiredService<ReservationService>().ReadyAsync(libraryId, "r9", new ReservationReadyRequest { PickupLocation = ready.pickupLocation, PickupBy = ready.pickupBy });

        using var early = await client.PostAsJsonAsync($"/api/libraries/{libraryId}/reservations/r9/ready", ready);
        var before = await GetAsync(client, libraryId, "r9");
        await EndToEndHost.EventuallyAsync(
            async () =>
            {
                using var repeat = await client.PostAsJsonAsync($"/api/libraries/{libraryId}/reservations/r9/ready", ready);
                return repeat.StatusCode;
            },
            s => s == HttpStatusCode.Accepted,
            Wait,
            "the repeat after the grace");
        var sent = await EndToEndHost.EventuallyAsync(() => host.SentAsync(libraryId), s => s.Contains("reservation-ready"), Wait, "ready notice");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.NotNull(early.Headers.RetryAfter?.Delta);
        Assert.False(before.TryGetProperty("runtimeStatus", out _), "no orchestration before the grace ran out");
        Assert.Equal(["reservation-ready", "reservation-requested"], sent.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Collected_BeforeTheReminder_StopsEveryLaterNotice()
    {
        var (host, client, libraryId) = await StartAsync();
        await PlaceAsync(client, libraryId, "r3");

        await PostAsync(client, $"/api/libraries/{libraryId}/reservations/r3/ready", new { pickupBy = InDays(5) }, HttpStatusCode.Accepted);
        await EndToEndHost.EventuallyAsync(() => host.SentAsync(libraryId), s => s.Contains("reservation-ready"), Wait, "ready notice");
        await PostAsync(client, $"/api/libraries/{libraryId}/reservations/r3/collected", null, HttpStatusCode.Accepted);
        var repeat = await PostAsync(client, $"/api/libraries/{libraryId}/reservations/r3/collected", null, HttpStatusCode.Accepted);
        var view = await EndToEndHost.EventuallyAsync(() => GetAsync(client, libraryId, "r3"), v => v.GetProperty("runtimeStatus").GetString() == "Completed", Wait, "completion");
        await Task.Delay(EndToEndHost.DayLength * 6);

        Assert.False(repeat.GetProperty("changed").GetBoolean());
        Assert.Equal("collected", view.GetProperty("notices").GetProperty("state").GetString());
        Assert.Equal(["reservation-ready", "reservation-requested"], (await host.SentAsync(libraryId)).Order(StringComparer.Ordinal));
        await PostAsync(client, $"/api/libraries/{libraryId}/reservations/r3/cancel", new { reason = "Too late" }, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Cancelled_WithReason_SendsTheReasonAndEndsTheOrchestration()
    {
        var (host, client, libraryId) = await StartAsync();
        await PlaceAsync(client, libraryId, "r4");
        await PostAsync(client, $"/api/libraries/{libraryId}/reservations/r4/ready", new { pickupBy = InDays(20) }, HttpStatusCode.Accepted);
        await EndToEndHost.EventuallyAsync(() => host.SentAsync(libraryId), s => s.Contains("reservation-ready"), Wait, "ready notice");

        await PostAsync(client, $"/api/libraries/{libraryId}/reservations/r4/cancel", new { reason = "The copy was damaged." }, HttpStatusCode.Accepted);
        await PostAsync(client, $"/api/libraries/{libraryId}/reservations/r4/cancel", new { reason = "The copy was damaged." }, HttpStatusCode.Accepted);
        var view = await EndToEndHost.EventuallyAsync(() => GetAsync(client, libraryId, "r4"), v => v.GetProperty("runtimeStatus").GetString() == "Completed", Wait, "completion");

        Assert.Equal("cancelled", view.GetProperty("notices").GetProperty("state").GetString());
        var cancelled = Assert.Single(await host.OutboxAsync(libraryId), m => m.Subject!.StartsWith("Reservation cancelled", StringComparison.Ordinal));
        Assert.Contains("Reason: The copy was damaged.", cancelled.TextBody, StringComparison.Ordinal);
        Assert.Contains("The copy was damaged.", cancelled.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(1, (await host.SentAsync(libraryId)).Count(s => s == "reservation-cancelled"));
        await PostAsync(client, $"/api/libraries/{libraryId}/reservations/r4/collected", null, HttpStatusCode.Conflict);
        await PostAsync(client, $"/api/libraries/{libraryId}/reservations/r4/ready", new { pickupBy = InDays(30) }, HttpStatusCode.Conflict);
    }

    /// <summary>
    /// Collected posted right at pickup-by, racing the expiry timer. Whichever reaches the reservation row first
    /// wins: either it was collected (202, no expired email) or it expired (409 to the collect, one expired email).
    /// Never both, never neither.
    /// </summary>
    [Fact]
    public async Task ExpiryRacingCollected_ExactlyOneWins()
    {
        var (host, client, libraryId) = await StartAsync(new NoticeTiming { ReservationExpiringDaysBefore = 0 });
        var ids = Enumerable.Range(1, 6).Select(i => $"race{i}").ToList();
        var pickupBy = InDays(10);
        foreach (var id in ids)
        {
            await PlaceAsync(client, libraryId, id);
            await PostAsync(client, $"/api/libraries/{libraryId}/reservations/{id}/ready", new { pickupBy }, HttpStatusCode.Accepted);
        }

        // Spread the collects around pickup-by: some before the timer, some at it, some after.
        var wait = pickupBy - DateTimeOffset.UtcNow - TimeSpan.FromMilliseconds(300);
        await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        var collects = await Task.WhenAll(ids.Select(async (id, i) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(120 * i));
            using var response = await client.PostAsync($"/api/libraries/{libraryId}/reservations/{id}/collected", null);
            return (Id: id, response.StatusCode);
        }));
        foreach (var id in ids)
        {
            await EndToEndHost.EventuallyAsync(() => GetAsync(client, libraryId, id), v => v.GetProperty("runtimeStatus").GetString() == "Completed", Wait, $"{id} completion");
        }

        var log = await host.LogAsync(libraryId);
        foreach (var (id, status) in collects)
        {
            var final = (await GetAsync(client, libraryId, id)).GetProperty("reservation").GetProperty("status").GetString();
            var expiredEmails = log.Count(e => e.SubjectRecordId == id && e.Scenario == "reservation-expired" && e.Status == Comms.EmailLog.EmailStatus.Sent);
            output.WriteLine($"{id}: collect {(int)status}, final {final}, expired emails {expiredEmails}");
            if (status == HttpStatusCode.Accepted)
            {
                Assert.Equal(("collected", 0), (final, expiredEmails));
            }
            else
            {
                Assert.Equal(HttpStatusCode.Conflict, status);
                Assert.Equal(("expired", 1), (final, expiredEmails));
            }
        }
    }

    private async Task<(EndToEndHost Host, HttpClient Client, string LibraryId)> StartAsync(NoticeTiming? timing = null)
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = NewId("res");
        var library = Samples.Library(libraryId) with { TimeZone = "UTC", Timing = timing ?? new NoticeTiming { ReservationExpiringDaysBefore = 2 } };
        return (host, await host.CreateLibraryAsync(library, Samples.Patron("p1")), libraryId);
    }

    private static Task<JsonElement> PlaceAsync(HttpClient client, string libraryId, string reservationId) =>
        PostAsync(client, $"/api/libraries/{libraryId}/reservations", new { reservationId, patronId = "p1", title = "Dune", pickupLocation = "Main desk" }, HttpStatusCode.Created);

    private static async Task<JsonElement> GetAsync(HttpClient client, string libraryId, string reservationId)
    {
        using var response = await client.GetAsync($"/api/libraries/{libraryId}/reservations/{reservationId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    internal static async Task<JsonElement> PostAsync(HttpClient client, string path, object? body, HttpStatusCode expected)
    {
        using var response = body is null ? await client.PostAsync(path, null) : await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{path}: expected {expected}, got {response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
