using System.Net;
using System.Net.Http.Json;
using Comms.Contacts;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Scenarios;
using Comms.Tests.Infrastructure;
using Comms.Tests.Reservations;
using MimeKit;

namespace Comms.Tests.Preferences;

/// <summary>
/// Preferences on the real durable engine, dispatcher, ledger and pickup provider: a switch turned off after the
/// loan was issued holds at the next step, for the patron's own email and for a parent's household email alike,
/// and mandatory steps still reach everyone.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class PreferenceSendTests(EmulatorFixture emulators)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    // Pre-overdue 4 "days" (seconds) before the due date, overdue 1 after; no escalations.
    private static readonly NoticeTiming Ladder = new() { PreOverdueDaysBefore = 4, OverdueGraceDays = 1, EscalationDaysAfterDue = [] };

    [Fact]
    public async Task Ladder_CourtesyTurnedOffAfterIssue_IsSkippedWithReasonAndOverdueStillGoes()
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = $"prefs-{Guid.NewGuid():N}"[..20];
        var settings = new ScenarioSettings { Roles = [ContactRole.Patron, ContactRole.Parent] };
        var library = Samples.Library(libraryId) with
        {
            TimeZone = "UTC",
            Timing = Ladder,
            Scenarios = new Dictionary<Scenario, ScenarioSettings> { [Scenario.PreOverdue] = settings, [Scenario.Overdue] = settings },
        };
        var client = await host.CreateLibraryAsync(library, Reader("ann", "morgan@home.example.org"), Reader("ben", "chen@home.example.org"));
        var due = DateTimeOffset.UtcNow + (EndToEndHost.DayLength * 10);
        await IssueAsync(client, libraryId, due, "ann", "a1", "Holes");
        await IssueAsync(client, libraryId, due, "ben", "b1", "Matilda");

        // The loans' ladders are planned; now Ann turns her courtesy notice off, and Ben's parent theirs.
        await PutAsync(client, $"/api/libraries/{libraryId}/patrons/ann/preferences", new { scenarios = new Dictionary<string, bool> { ["pre-overdue"] = false } });
        await PutAsync(client, $"/api/libraries/{libraryId}/patrons/ben/preferences", new
        {
            contacts = new[] { new { email = "chen@home.example.org", scenarios = new Dictionary<string, bool> { ["pre-overdue"] = false } } },
        });
        await UntilAsync(due + EndToEndHost.DayLength);
        var mail = await EndToEndHost.EventuallyAsync(() => LadderAsync(host, libraryId), m => m.Count(IsOverdue) >= 4, Wait, "the overdue step");
        var log = await host.LogAsync(libraryId);

        Assert.Equal(["ben@pupils.example.org", "morgan@home.example.org"], [.. mail.Where(IsPreOverdue).Select(To).Order(StringComparer.Ordinal)]);
        Assert.Equal(
            ["ann@pupils.example.org", "ben@pupils.example.org", "chen@home.example.org", "morgan@home.example.org"],
            [.. mail.Where(IsOverdue).Select(To).Order(StringComparer.Ordinal)]);
        foreach (var address in new[] { "ann@pupils.example.org", "chen@home.example.org" })
        {
            var skipped = Assert.Single(log, e => e.Scenario == "pre-overdue" && string.Equals(e.Address, address, StringComparison.OrdinalIgnoreCase));
            Assert.Equal(EmailStatus.Skipped, skipped.Status);
            Assert.Contains("turned off pre-overdue", skipped.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Ladder_PerItemChosenAfterIssue_OneEmailPerLoanPerStepOnce_DigestPatronAndParentsStayOneEmail()
    {
        // Arrange: Cai has two loans and chooses one email per item after they were issued; Dee keeps the digest.
        // Both share a parent, who hears about both readers in one household email per step whatever they chose.
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = $"peritem-{Guid.NewGuid():N}"[..20];
        var settings = new ScenarioSettings { Roles = [ContactRole.Patron, ContactRole.Parent] };
        var library = Samples.Library(libraryId) with
        {
            TimeZone = "UTC",
            Timing = Ladder,
            Scenarios = new Dictionary<Scenario, ScenarioSettings> { [Scenario.PreOverdue] = settings, [Scenario.Overdue] = settings },
        };
        var client = await host.CreateLibraryAsync(library, Reader("cai", "evans@home.example.org"), Reader("dee", "evans@home.example.org"));
        var due = DateTimeOffset.UtcNow + (EndToEndHost.DayLength * 10);
        await IssueAsync(client, libraryId, due, "cai", "c1", "Holes");
        await IssueAsync(client, libraryId, due, "cai", "c2", "Matilda");
        await IssueAsync(client, libraryId, due, "dee", "d1", "Dune");
        await IssueAsync(client, libraryId, due, "dee", "d2", "Emma");

        // Act
        await PutAsync(client, $"/api/libraries/{libraryId}/patrons/cai/preferences", new { delivery = "perItem" });
        await UntilAsync(due + EndToEndHost.DayLength);
        var mail = await EndToEndHost.EventuallyAsync(() => LadderAsync(host, libraryId), m => m.Count(IsOverdue) >= 4, Wait, "the overdue step");
        await Task.Delay(EndToEndHost.DayLength * 2); // room for a duplicate to show

        // Assert: per step, Cai gets one email per loan (never a digest, never twice), Dee one listing both, the parent one.
        mail = await LadderAsync(host, libraryId);
        foreach (var step in new Func<MimeMessage, bool>[] { IsPreOverdue, IsOverdue })
        {
            var cai = mail.Where(step).Where(m => To(m) == "cai@pupils.example.org").Select(Titles).ToList();
            Assert.Equal(["Holes", "Matilda"], cai.Select(t => Assert.Single(t)).Order(StringComparer.Ordinal));
            Assert.Equal(["Dune", "Emma"], Titles(Assert.Single(mail.Where(step), m => To(m) == "dee@pupils.example.org")));
            Assert.Single(mail.Where(step), m => To(m) == "evans@home.example.org");
        }

        Assert.Equal(8, mail.Count); // 2 steps × (Cai 2 + Dee 1 + the parent 1): nothing sent twice
    }

    private static string[] Titles(MimeMessage message) =>
        [.. new[] { "Holes", "Matilda", "Dune", "Emma" }.Where(t => (message.TextBody ?? string.Empty).Contains(t, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private static Patron Reader(string id, string parent) => new()
    {
        Id = id,
        Name = $"Patron {id}",
        Contacts =
        [
            new() { Role = ContactRole.Patron, Name = $"Patron {id}", Email = $"{id}@pupils.example.org" },
            new() { Role = ContactRole.Parent, Name = "Parent", Email = parent },
        ],
    };

    private static async Task IssueAsync(HttpClient client, string library, DateTimeOffset due, string patronId, string loanId, string title) =>
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{library}/loans", new
        {
            patronId,
            loans = new[] { new { loanId, title, dueAt = due } },
        }, HttpStatusCode.Created);

    private static async Task PutAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PutAsJsonAsync(path, body, Comms.Common.CommsJson.Options);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<List<MimeMessage>> LadderAsync(EndToEndHost host, string library) =>
        [.. (await host.OutboxAsync(library)).Where(m => !m.Subject!.Contains("loan receipt", StringComparison.OrdinalIgnoreCase))];

    private static bool IsPreOverdue(MimeMessage m) =>
        m.Subject!.Contains("due soon", StringComparison.OrdinalIgnoreCase) || m.Subject!.Contains("due back soon", StringComparison.OrdinalIgnoreCase);

    private static bool IsOverdue(MimeMessage m) => m.Subject!.Contains("overdue", StringComparison.OrdinalIgnoreCase);

    private static Task UntilAsync(DateTimeOffset instant) => Task.Delay(instant > DateTimeOffset.UtcNow ? instant - DateTimeOffset.UtcNow : TimeSpan.Zero);

    private static string To(MimeMessage message) => message.To.Mailboxes.Single().Address.ToLowerInvariant();
}
