using System.Net;
using System.Text.Json;
using Comms.Tests.Infrastructure;
using Comms.Tests.Reservations;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Lending;

/// <summary>
/// The check-in receipt, the shortened due date and the welcome notice end to end on the dev host's durable
/// engine with the real dispatcher, outbox and pickup folder: each event changes the loans and ladders it names,
/// answers the notice it queued (the same one however often it is posted) and the notice is sent once.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class CatalogueFlowTests(EmulatorFixture emulators)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CheckInSession_OneReceiptListingEveryItem_EndsTheLadders_RepeatSendsNothing()
    {
        var (host, client, libraryId) = await StartAsync();
        await IssueAsync(client, libraryId, "p1", ("l1", "Dune"), ("l2", "Emma"), ("l3", "Kim"));
        await IssueAsync(client, libraryId, "p2", ("theirs", "Walden"));
        var session = new { patronId = "p1", loanIds = new[] { "l1", "l2" } };

        var (first, location) = await QueuedNotices.PostAsync(client, $"/api/libraries/{libraryId}/check-ins", session, HttpStatusCode.Accepted);
        var again = await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/check-ins", session, HttpStatusCode.Accepted);
        using var theirs = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/check-ins", Serialize(new { patronId = "p1", loanIds = new[] { "l3", "theirs" } })));
        using var unknown = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/check-ins", Serialize(new { patronId = "ghost", loanIds = new[] { "l3" } })));
        var status = await EndToEndHost.EventuallyAsync(() => GetLoanAsync(client, libraryId, "l1"), l => l.GetProperty("runtimeStatus").GetString() == "Completed", Wait, "l1's ladder to end");

        Assert.Equal(2, first.GetProperty("returned").GetInt32());
        Assert.Equal(0, again.GetProperty("returned").GetInt32());
        var href = QueuedNotices.AssertQueued(first.GetProperty("receipt"), libraryId);
        Assert.Equal(href, location);
        Assert.Equal(href, again.GetProperty("receipt").GetProperty("href").GetString());
        Assert.Empty(first.GetProperty("lostItemReturned").EnumerateArray());
        await theirs.AssertProblemAsync(400, "loanIds[1]");
        await unknown.AssertProblemAsync(404);
        Assert.Equal("returned", status.GetProperty("loan").GetProperty("status").GetString());
        Assert.Equal("active", (await GetLoanAsync(client, libraryId, "l3")).GetProperty("loan").GetProperty("status").GetString());
        var receipts = (await host.OutboxAsync(libraryId)).Where(m => m.Subject!.StartsWith("Your check-in receipt", StringComparison.Ordinal)).ToList();
        Assert.Equal(["p1@pupils.example.org", "parent.p1@home.example.org"], receipts.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        Assert.All(receipts, m => Assert.Contains("Dune", m.TextBody, StringComparison.Ordinal));
        Assert.All(receipts, m => Assert.Contains("Emma", m.TextBody, StringComparison.Ordinal));
        Assert.All(receipts, m => Assert.DoesNotContain("Kim", m.TextBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ShortenedDueDate_MovesTheLadder_AndTellsTheReaderOnce_WithTheOldDateAndWhy()
    {
        var (host, client, libraryId) = await StartAsync();
        var due = new DateTimeOffset(2030, 6, 28, 16, 0, 0, TimeSpan.Zero);
        var shorter = new DateTimeOffset(2030, 6, 7, 16, 0, 0, TimeSpan.Zero);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new { loanId = "l1", patronId = "p1", title = "Dune", dueAt = due }, HttpStatusCode.Created);
        var body = new { dueAt = shorter, reason = "Needed for a course reserve" };

        var (first, location) = await QueuedNotices.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/shorten", body, HttpStatusCode.Accepted);
        var repeat = await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/shorten", body, HttpStatusCode.Accepted);
        using var later = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/loans/l1/shorten", Serialize(new { dueAt = due })));
        using var past = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/loans/l1/shorten", Serialize(new { dueAt = DateTimeOffset.UtcNow.AddDays(-1), reason = "a\nb" })));
        var status = await EndToEndHost.EventuallyAsync(() => GetLoanAsync(client, libraryId, "l1"), l => l.TryGetProperty("notices", out var n) && n.ValueKind == JsonValueKind.Object && n.GetProperty("dueAt").GetDateTimeOffset() == shorter, Wait, "the ladder to move");

        Assert.True(first.GetProperty("changed").GetBoolean());
        Assert.False(repeat.GetProperty("changed").GetBoolean());
        Assert.Equal($"/api/libraries/{libraryId}/loans/l1", location);
        Assert.Equal(QueuedNotices.AssertQueued(first.GetProperty("notice"), libraryId), repeat.GetProperty("notice").GetProperty("href").GetString());
        await later.AssertProblemAsync(400, "dueAt");
        await past.AssertProblemAsync(400, "dueAt", "reason");
        Assert.Equal(shorter, status.GetProperty("loan").GetProperty("dueAt").GetDateTimeOffset());
        var told = (await host.OutboxAsync(libraryId)).Where(m => m.Subject!.StartsWith("New due date", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, told.Count);
        Assert.All(told, m => Assert.Contains("7 June 2030", m.Subject, StringComparison.Ordinal));
        Assert.All(told, m => Assert.Contains("28 June 2030", m.TextBody, StringComparison.Ordinal));
        Assert.All(told, m => Assert.Contains("Why: Needed for a course reserve", m.TextBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Welcome_SentOnceADayToTheChosenRoles_UnknownPatronIs404_OtherLibraryIs403()
    {
        var (host, client, libraryId) = await StartAsync();
        var (_, other, _) = await StartAsync();

        var (first, location) = await QueuedNotices.PostAsync(client, $"/api/libraries/{libraryId}/patrons/p1/welcome", null, HttpStatusCode.Accepted);
        var (again, _) = await QueuedNotices.PostAsync(client, $"/api/libraries/{libraryId}/patrons/p1/welcome", null, HttpStatusCode.Accepted);
        using var unknown = await client.PostAsync($"/api/libraries/{libraryId}/patrons/nobody/welcome", null);
        using var foreign = await other.PostAsync($"/api/libraries/{libraryId}/patrons/p1/welcome", null);

        await unknown.AssertProblemAsync(404);
        await foreign.AssertProblemAsync(403);
        var href = QueuedNotices.AssertQueued(first.GetProperty("notice"), libraryId);
        Assert.Equal(href, location);
        Assert.Equal(href, again.GetProperty("notice").GetProperty("href").GetString());
        var welcomes = await host.OutboxAsync(libraryId);
        Assert.Equal(["p1@pupils.example.org", "parent.p1@home.example.org"], welcomes.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        Assert.All(welcomes, m => Assert.Equal($"Welcome to Library {libraryId}", m.Subject));
        Assert.All(welcomes, m => Assert.Contains("Patron p1 is now a member", m.TextBody, StringComparison.Ordinal));
    }

    private static Task IssueAsync(HttpClient client, string libraryId, string patronId, params (string Id, string Title)[] loans) =>
        ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new
        {
            patronId,
            loans = loans.Select(l => new { loanId = l.Id, title = l.Title, dueAt = DateTimeOffset.UtcNow.AddDays(20) }).ToArray(),
        }, HttpStatusCode.Created);

    private static async Task<JsonElement> GetLoanAsync(HttpClient client, string libraryId, string loanId)
    {
        using var response = await client.GetAsync($"/api/libraries/{libraryId}/loans/{loanId}");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<(EndToEndHost Host, HttpClient Client, string LibraryId)> StartAsync()
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = $"cat-{Guid.NewGuid():N}"[..20];
        return (host, await host.CreateLibraryAsync(Samples.Library(libraryId), Samples.Patron("p1"), Samples.Patron("p2")), libraryId);
    }
}
