using System.Text.Json;
using Comms.Libraries;
using Comms.Tests.Infrastructure;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Accounts;

/// <summary>
/// Card expiry on the dev host's durable engine with the real dispatcher and pickup folder (one library day =
/// one second): the card's orchestration sends the reminder the library's number of days before the date, once
/// per date, and a new date plans a new reminder.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class CardExpiryFlowTests(EmulatorFixture emulators)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CardExpiry_ReminderDaysBefore_OncePerDate_ANewDatePlansANewReminder()
    {
        var (host, client, libraryId) = await StartAsync(library => library with { Timing = new NoticeTiming { CardExpiryDaysBefore = 2 } });
        var expires = DateTimeOffset.UtcNow.AddSeconds(4);

        using var put = await client.SendAsync(Request(HttpMethod.Put, $"/api/libraries/{libraryId}/patrons/p1/card", Serialize(new { expiresAt = expires })));
        using var again = await client.SendAsync(Request(HttpMethod.Put, $"/api/libraries/{libraryId}/patrons/p1/card", Serialize(new { expiresAt = expires })));
        put.EnsureSuccessStatusCode();
        again.EnsureSuccessStatusCode();
        var first = await EndToEndHost.EventuallyAsync(() => Task.FromResult(Reminders(host, libraryId)), r => r.Count >= 2, Wait, "the card reminder");
        var status = await EndToEndHost.EventuallyAsync(() => GetCardAsync(client, libraryId), s => s.GetProperty("notices").GetProperty("state").GetString() == "sent", Wait, "the sent status");

        var later = DateTimeOffset.UtcNow.AddSeconds(5);
        using var renewed = await client.SendAsync(Request(HttpMethod.Put, $"/api/libraries/{libraryId}/patrons/p1/card", Serialize(new { expiresAt = later })));
        renewed.EnsureSuccessStatusCode();
        var all = await EndToEndHost.EventuallyAsync(() => Task.FromResult(Reminders(host, libraryId)), r => r.Count >= 4, Wait, "the second reminder");
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(["p1@pupils.example.org", "parent.p1@home.example.org"], first.Take(2).Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        Assert.Equal(4, Reminders(host, libraryId).Count);
        Assert.Contains(all, m => (m.TextBody ?? string.Empty).Contains("expires on", StringComparison.Ordinal));
        Assert.False((await again.JsonAsync())["changed"]!.GetValue<bool>());
        Assert.Equal("sent", status.GetProperty("notices").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Card_BadDateIs400_UnknownPatronIs404_OtherLibraryIs403_ScenarioOffSendsNothing()
    {
        var (host, client, libraryId) = await StartAsync(library => library with
        {
            Timing = new NoticeTiming { CardExpiryDaysBefore = 1 },
            Scenarios = new Dictionary<Comms.Scenarios.Scenario, ScenarioSettings> { [Comms.Scenarios.Scenario.CardExpiring] = new() { Enabled = false } },
        });
        var (_, other, _) = await StartAsync();

        using var past = await client.SendAsync(Request(HttpMethod.Put, $"/api/libraries/{libraryId}/patrons/p1/card", Serialize(new { expiresAt = DateTimeOffset.UtcNow.AddDays(-1) })));
        using var unknown = await client.SendAsync(Request(HttpMethod.Put, $"/api/libraries/{libraryId}/patrons/ghost/card", Serialize(new { expiresAt = DateTimeOffset.UtcNow.AddDays(9) })));
        using var foreign = await other.SendAsync(Request(HttpMethod.Put, $"/api/libraries/{libraryId}/patrons/p1/card", Serialize(new { expiresAt = DateTimeOffset.UtcNow.AddDays(9) })));
        using var off = await client.SendAsync(Request(HttpMethod.Put, $"/api/libraries/{libraryId}/patrons/p1/card", Serialize(new { expiresAt = DateTimeOffset.UtcNow.AddSeconds(2) })));
        var status = await EndToEndHost.EventuallyAsync(() => GetCardAsync(client, libraryId), s => s.TryGetProperty("notices", out var n) && n.ValueKind == JsonValueKind.Object, Wait, "the card status");

        await past.AssertProblemAsync(400, "expiresAt");
        await unknown.AssertProblemAsync(404);
        await foreign.AssertProblemAsync(403);
        off.EnsureSuccessStatusCode();
        Assert.Equal("none", status.GetProperty("notices").GetProperty("state").GetString());
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Empty(Reminders(host, libraryId));
    }

    private static List<MimeKit.MimeMessage> Reminders(EndToEndHost host, string libraryId) =>
        [.. host.Outbox(libraryId).Where(m => m.Subject!.StartsWith("Your library card expires", StringComparison.Ordinal))];

    private static async Task<JsonElement> GetCardAsync(HttpClient client, string libraryId)
    {
        using var response = await client.GetAsync($"/api/libraries/{libraryId}/patrons/p1/card");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<(EndToEndHost Host, HttpClient Client, string LibraryId)> StartAsync(Func<Library, Library>? configure = null)
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = $"card-{Guid.NewGuid():N}"[..20];
        var library = Samples.Library(libraryId);
        return (host, await host.CreateLibraryAsync(configure?.Invoke(library) ?? library, Samples.Patron("p1")), libraryId);
    }
}
