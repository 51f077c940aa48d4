using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Comms.Common;
using Comms.Libraries;
using Comms.Scenarios;
using Comms.Tests.Circulation;
using Comms.Tests.Infrastructure;

namespace Comms.Tests.Preferences;

/// <summary>
/// A patron's courtesy days (days before due for the pre-overdue reminder) on the real durable engine, one ladder day
/// = one second: a change after the loans were issued wakes each of the patron's sleeping ladders, which then wait
/// for the new time — earlier or later — and send the reminder there once, still as one digest per patron.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class CourtesyDaysLadderTests(EmulatorFixture emulators)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    // The library's own reminder 4 days before due; patrons may choose 1 to 8.
    private static readonly NoticeTiming Ladder = new()
    {
        PreOverdueDaysBefore = 4, PreOverdueDaysBeforeMin = 1, PreOverdueDaysBeforeMax = 8, OverdueGraceDays = 1, EscalationDaysAfterDue = [],
    };

    [Fact]
    public async Task CourtesyDaysChanged_AfterIssue_ReplansEachOfThePatronsLoansToTheNewTime()
    {
        // Arrange: p1 has two loans (one digest), p2 one, family one; all due in 24 "days".
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = $"cdays-{Guid.NewGuid():N}"[..20];
        using var client = await host.CreateLibraryAsync(libraryId, Ladder);
        var due = DateTimeOffset.UtcNow + (CirculationHost.DayLength * 24);
        await IssueAsync(client, libraryId, "p1", due, "c1", "c2");
        await IssueAsync(client, libraryId, "p2", due, "c3");
        await IssueAsync(client, libraryId, "family", due, "c4");
        foreach (var loan in new[] { "c1", "c2", "c3", "c4" })
        {
            await NextAtAsync(client, libraryId, loan, due - Days(4));
        }

        // Act: p1 wants it 7 days before (earlier: the ladder must wake), p2 only 1 (later: nothing at the old time),
        // one through PUT and one through bulk; family keeps the library's 4.
        await SendAsync(client, HttpMethod.Put, $"/api/libraries/{libraryId}/patrons/p1/preferences", new { preOverdueDaysBefore = 7 }, HttpStatusCode.OK);
        await SendAsync(client, HttpMethod.Post, $"/api/libraries/{libraryId}/preferences/bulk", new { items = new[] { new { patronId = "p2", preOverdueDaysBefore = 1 } } }, HttpStatusCode.OK);

        // Assert: each ladder now waits for its patron's time, well before any of them fires.
        await NextAtAsync(client, libraryId, "c1", due - Days(7));
        await NextAtAsync(client, libraryId, "c2", due - Days(7));
        await NextAtAsync(client, libraryId, "c3", due - Days(1));
        Assert.Equal(due - Days(4), (await NoticesAsync(client, libraryId, "c4")).GetProperty("nextAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));

        var overdue = await CirculationHost.EventuallyAsync(
            () => host.LadderNotices(libraryId), r => r.Count(n => n.Scenario.Scenario == Scenario.Overdue) >= 3, Wait, "every overdue step");
        var reminders = overdue.Where(n => n.Scenario.Scenario == Scenario.PreOverdue).ToList();
        Assert.Equal(["family", "p1", "p2"], reminders.Select(n => n.PatronId!).Order(StringComparer.Ordinal));
        Assert.Equal(["c1", "c2"], reminders.Single(n => n.PatronId == "p1").Loans.Select(l => l.LoanId).Order(StringComparer.Ordinal));
        await SentAtAsync(client, libraryId, "c3", due - Days(1));
        await SentAtAsync(client, libraryId, "c4", due - Days(4));
        var c1 = await SentAtAsync(client, libraryId, "c1", due - Days(7));
        var c2 = await SentAtAsync(client, libraryId, "c2", due - Days(7));
        Assert.Equal(["sent", "digest"], new[] { c1, c2 }.Order(StringComparer.Ordinal).Reverse());
    }

    [Fact]
    public async Task CourtesyDaysChangedToItsOwnValue_RaisesNothingAndTheLadderKeepsItsTime()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = $"cdays-{Guid.NewGuid():N}"[..20];
        using var client = await host.CreateLibraryAsync(libraryId, Ladder);
        var due = DateTimeOffset.UtcNow + (CirculationHost.DayLength * 40);
        await IssueAsync(client, libraryId, "p1", due, "k1");
        await NextAtAsync(client, libraryId, "k1", due - Days(4));

        await SendAsync(client, HttpMethod.Put, $"/api/libraries/{libraryId}/patrons/p1/preferences", new { preOverdueDaysBefore = 4 }, HttpStatusCode.OK);
        await SendAsync(client, HttpMethod.Put, $"/api/libraries/{libraryId}/patrons/p1/preferences", new { preOverdueDaysBefore = 4 }, HttpStatusCode.OK);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var history = await host.HistoryAsync($"loan:{libraryId}:k1");
        Assert.Equal(1, history.GetValueOrDefault("EventRaised")); // the first PUT (null → 4) changed the stored choice; the repeat did not
        await NextAtAsync(client, libraryId, "k1", due - Days(4));
        await SendAsync(client, HttpMethod.Post, $"/api/libraries/{libraryId}/loans/k1/return", null, HttpStatusCode.Accepted);
    }

    private static TimeSpan Days(int days) => CirculationHost.DayLength * days;

    private static async Task IssueAsync(HttpClient client, string libraryId, string patronId, DateTimeOffset due, params string[] loanIds) =>
        await SendAsync(client, HttpMethod.Post, $"/api/libraries/{libraryId}/loans", new
        {
            patronId,
            loans = loanIds.Select(id => new { loanId = id, title = "Book " + id, dueAt = due }).ToArray(),
        }, HttpStatusCode.Created);

    private static async Task<JsonElement> NoticesAsync(HttpClient client, string libraryId, string loanId)
    {
        using var response = await client.GetAsync($"/api/libraries/{libraryId}/loans/{loanId}");
        var view = await response.Content.ReadFromJsonAsync<JsonElement>();
        return view.TryGetProperty("notices", out var notices) ? notices : default;
    }

    private static async Task NextAtAsync(HttpClient client, string libraryId, string loanId, DateTimeOffset expected)
    {
        var deadline = DateTime.UtcNow + Wait;
        JsonElement notices = default;
        while (DateTime.UtcNow < deadline)
        {
            notices = await NoticesAsync(client, libraryId, loanId);
            if (notices.ValueKind == JsonValueKind.Object && notices.TryGetProperty("nextAt", out var at) && Math.Abs((at.GetDateTimeOffset() - expected).TotalMilliseconds) < 1)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"Loan {loanId} never waited for {expected:O}: {notices}");
    }

    /// <summary>The loan's pre-overdue step as its status records it: planned for <paramref name="expected"/>, and how it went.</summary>
    private static async Task<string> SentAtAsync(HttpClient client, string libraryId, string loanId, DateTimeOffset expected)
    {
        var notices = await NoticesAsync(client, libraryId, loanId);
        var steps = notices.GetProperty("sent").EnumerateArray().Where(s => s.GetProperty("step").GetString() == "pre-overdue").ToList();
        var step = Assert.Single(steps);
        Assert.Equal(expected, step.GetProperty("fireAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        return step.GetProperty("outcome").GetString()!;
    }

    private static async Task SendAsync(HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: CommsJson.Options) };
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
