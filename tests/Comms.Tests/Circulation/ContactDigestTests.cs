using System.Net;
using System.Net.Http.Json;
using Comms.Circulation;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Scenarios;
using Comms.Tests.Infrastructure;
using Comms.Tests.Reservations;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Comms.Tests.Circulation;

/// <summary>
/// Shared contacts on the real durable engine, the real dispatcher, ledger and templates: each parent, teacher and
/// head of school gets one email per ladder step listing every patron they are a contact for.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ContactDigestTests(EmulatorFixture emulators)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    // Pre-overdue 4 "days" (seconds) before the due date, overdue 1 after; no escalations.
    private static readonly NoticeTiming Ladder = new() { PreOverdueDaysBefore = 4, OverdueGraceDays = 1, EscalationDaysAfterDue = [] };

    private static readonly ContactRole[] Everyone = [ContactRole.Patron, ContactRole.Parent, ContactRole.Teacher, ContactRole.HeadOfSchool];

    [Fact]
    public async Task SchoolMorning_EachParentTeacherAndHeadGetsOneEmailPerStepListingEveryChild()
    {
        var (host, client, library) = await StartAsync(
            Pupil("ann", "7B", parent: "Morgan@home.example.org", teacher: "t7b"),
            Pupil("ben", "7B", parent: "morgan@home.example.org", teacher: "t7b"),
            Pupil("cal", "4A", parent: "chen@home.example.org", teacher: "t4a"));
        // Due at one instant, as loans due the same day are at the library's send time.
        var due = DateTimeOffset.UtcNow + (EndToEndHost.DayLength * 10);

        await IssueAsync(client, library, due, "ann", ("a1", "Holes"), ("a2", "Skellig"));
        await IssueAsync(client, library, due, "ben", ("b1", "Matilda"));
        await IssueAsync(client, library, due, "cal", ("c1", "Wonder"));
        await UntilAsync(due - (EndToEndHost.DayLength * 4));
        var mail = await EndToEndHost.EventuallyAsync(
            () => LadderAsync(host, library), m => m.Count(IsOverdue) >= 8, Wait, "the overdue step");
        await Task.Delay(EndToEndHost.DayLength * 3);
        mail = (await LadderAsync(host, library));

        // Per step: three patrons' own emails, one household per family, one class list per teacher, one summary.
        foreach (var isStep in new Func<MimeMessage, bool>[] { IsPreOverdue, IsOverdue })
        {
            var ofStep = mail.Where(isStep).ToList();
            var to = ofStep.Select(m => m.To.Mailboxes.Single().Address.ToLowerInvariant()).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(
                ["ann@pupils.example.org", "ben@pupils.example.org", "cal@pupils.example.org", "chen@home.example.org", "head@school.example.org", "morgan@home.example.org", "t4a@school.example.org", "t7b@school.example.org"],
                to);

            var morgan = Single(ofStep, "morgan@home.example.org");
            Assert.All(new[] { "Patron ann", "Patron ben", "Holes", "Skellig", "Matilda" }, text => Assert.Contains(text, morgan.TextBody, StringComparison.Ordinal));
            Assert.DoesNotContain("Wonder", morgan.TextBody, StringComparison.Ordinal);
            Assert.DoesNotContain("Wonder", Single(ofStep, "t7b@school.example.org").TextBody, StringComparison.Ordinal);
            Assert.Contains("Students: 2. Items: 3.", Single(ofStep, "t7b@school.example.org").TextBody, StringComparison.Ordinal);
            Assert.DoesNotContain("Holes", Single(ofStep, "t4a@school.example.org").TextBody, StringComparison.Ordinal);
            var head = Single(ofStep, "head@school.example.org").TextBody;
            Assert.Contains("Items: 4. Students: 3. Classes: 2.", head, StringComparison.Ordinal);
            Assert.Contains("- 7B: students 2, items 3", head, StringComparison.Ordinal);
            Assert.Contains("- 4A: students 1, items 1", head, StringComparison.Ordinal);

            // A patron's own email is theirs alone.
            Assert.DoesNotContain("Matilda", Single(ofStep, "ann@pupils.example.org").TextBody, StringComparison.Ordinal);
        }

        // Without escalation levels the overdue step is the top of the ladder: the head's summary lists names there only.
        Assert.DoesNotContain("Patron ann", Single([.. mail.Where(IsPreOverdue)], "head@school.example.org").TextBody, StringComparison.Ordinal);
        Assert.Contains("Patron ann", Single([.. mail.Where(IsOverdue)], "head@school.example.org").TextBody, StringComparison.Ordinal);
        var sent = (await host.LogAsync(library)).Where(e => e.Status == Comms.EmailLog.EmailStatus.Sent && e.Scenario != "loan-receipt").ToList();
        Assert.Equal(16, sent.Count);
        Assert.Equal(16, sent.Select(e => e.NoticeId).Distinct().Count());
    }

    [Fact]
    public async Task ChangesAfterRegistration_ReturnedLoanContactRemovedAndOptedOutPatronDropOut_NewContactStillHears()
    {
        var (host, client, library) = await StartAsync(
            Pupil("ann", "7B", parent: "morgan@home.example.org", teacher: "t7b"),
            Pupil("ben", "7B", parent: "morgan@home.example.org", teacher: "t7b"),
            Pupil("cal", "7B", parent: "chen@home.example.org", teacher: "t7b"),
            Pupil("dee", "7B", parent: "dee.parent@home.example.org", teacher: null));
        var due = DateTimeOffset.UtcNow + (EndToEndHost.DayLength * 12);

        await IssueAsync(client, library, due, "ann", ("a1", "Holes"), ("a2", "Skellig"));
        await IssueAsync(client, library, due, "ben", ("b1", "Matilda"));
        await IssueAsync(client, library, due, "cal", ("c1", "Wonder"));
        await IssueAsync(client, library, due, "dee", ("d1", "Kes"));

        // After every loan registered for its first step, before that step: a return, a contact removed, an
        // opt-out, and a teacher added to a pupil whose loans registered without one.
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{library}/loans/a2/return", null, HttpStatusCode.Accepted);
        await PutPatronAsync(client, library, Pupil("cal", "7B", parent: "chen@home.example.org", teacher: null));
        await PutPatronAsync(client, library, Pupil("ben", "7B", parent: "morgan@home.example.org", teacher: "t7b") with { NoNotices = true });
        await PutPatronAsync(client, library, Pupil("dee", "7B", parent: "dee.parent@home.example.org", teacher: "t7b"));
        await UntilAsync(due - (EndToEndHost.DayLength * 4));
        await EndToEndHost.EventuallyAsync(
            async () => (await LadderAsync(host, library)).Count(IsPreOverdue), n => n >= 5, Wait, "the pre-overdue step");
        await Task.Delay(EndToEndHost.DayLength * 2);
        var step = (await LadderAsync(host, library)).Where(IsPreOverdue).ToList();

        var teacher = step.Where(m => To(m) == "t7b@school.example.org").ToList();
        var teacherText = string.Join("\n", teacher.Select(m => m.TextBody));
        Assert.Contains("Holes", teacherText, StringComparison.Ordinal);
        Assert.DoesNotContain("Skellig", teacherText, StringComparison.Ordinal); // returned
        Assert.DoesNotContain("Matilda", teacherText, StringComparison.Ordinal); // ben opted out
        Assert.DoesNotContain("Wonder", teacherText, StringComparison.Ordinal); // cal's teacher removed
        Assert.Equal(1, CountOf(teacherText, "Kes")); // dee's teacher added after registering: told once, separately
        Assert.True(teacher.Count == 2, string.Join("\n----\n", teacher.Select(m => m.Subject + "\n" + m.TextBody)));

        var morgan = Single(step, "morgan@home.example.org").TextBody;
        Assert.Contains("Holes", morgan, StringComparison.Ordinal);
        Assert.DoesNotContain("Matilda", morgan, StringComparison.Ordinal);
        Assert.DoesNotContain(step, m => To(m) == "ben@pupils.example.org");
        Assert.Contains("Wonder", Single(step, "chen@home.example.org").TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeeklyHeadOfSchool_NoEmailPerStep_OneSummaryOnItsDayWithEachStepCounted()
    {
        var weekly = new ScenarioSettings { Roles = Everyone, ContactDigests = new() { SummaryWeekly = true, SummaryWeekday = DayOfWeek.Friday } };
        var (host, client, library) = await StartAsync(
            s => s with { Scenarios = new Dictionary<Scenario, ScenarioSettings> { [Scenario.PreOverdue] = weekly, [Scenario.Overdue] = weekly } },
            Pupil("ann", "7B", parent: "morgan@home.example.org", teacher: "t7b"),
            Pupil("cal", "4A", parent: "chen@home.example.org", teacher: "t4a"));
        var due = DateTimeOffset.UtcNow + (EndToEndHost.DayLength * 10);
        await IssueAsync(client, library, due, "ann", ("a1", "Holes"), ("a2", "Skellig"));
        await IssueAsync(client, library, due, "cal", ("c1", "Wonder"));
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{library}/loans/a2/return", null, HttpStatusCode.Accepted);
        await UntilAsync(due + EndToEndHost.DayLength);
        await EndToEndHost.EventuallyAsync(async () => (await LadderAsync(host, library)).Count(IsOverdue), n => n >= 4, Wait, "the overdue step");
        await Task.Delay(EndToEndHost.DayLength * 2);
        Assert.DoesNotContain((await LadderAsync(host, library)), m => To(m) == "head@school.example.org");

        // The summary goes once its Friday send time has passed in the library's zone, and only once.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var friday = WeeklySummaries.SummaryDate(today, DayOfWeek.Friday);
        var before = new Sender(host, Comms.Circulation.LibraryTime.ToUtc(friday, new TimeOnly(9, 29), TimeZoneInfo.Utc));
        var after = new Sender(host, Comms.Circulation.LibraryTime.ToUtc(friday, new TimeOnly(9, 31), TimeZoneInfo.Utc));
        await before.Service.SendDueAsync();
        Assert.DoesNotContain((await LadderAsync(host, library)), m => To(m) == "head@school.example.org");
        await after.Service.SendDueAsync();
        await after.Service.SendDueAsync();

        var summary = Single((await LadderAsync(host, library)), "head@school.example.org");
        Assert.StartsWith("Weekly summary", summary.Subject, StringComparison.Ordinal);
        // Each loan counts once, at the highest step it reached in the week.
        Assert.Contains("- Overdue: students 2, items 2", summary.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Due soon", summary.TextBody, StringComparison.Ordinal);
        Assert.Contains("- 7B: students 1, items 1", summary.TextBody, StringComparison.Ordinal); // a2 was returned
        Assert.Contains("Patron cal", summary.TextBody, StringComparison.Ordinal); // reached overdue, the top step here
        Assert.DoesNotContain("Skellig", summary.TextBody, StringComparison.Ordinal);
    }

    private static Patron Pupil(string id, string group, string parent, string? teacher)
    {
        List<Contact> contacts =
        [
            new() { Role = ContactRole.Patron, Name = $"Patron {id}", Email = $"{id}@pupils.example.org" },
            new() { Role = ContactRole.Parent, Name = "Parent", Email = parent },
            new() { Role = ContactRole.HeadOfSchool, Name = "Head", Email = "head@school.example.org" },
        ];
        if (teacher is not null)
        {
            contacts.Add(new() { Role = ContactRole.Teacher, Name = $"Teacher {teacher}", Email = $"{teacher}@school.example.org" });
        }

        return new Patron { Id = id, Name = $"Patron {id}", Group = group, Contacts = contacts };
    }

    private Task<(EndToEndHost Host, HttpClient Client, string LibraryId)> StartAsync(params Patron[] pupils) => StartAsync(l => l, pupils);

    private async Task<(EndToEndHost Host, HttpClient Client, string LibraryId)> StartAsync(Func<Library, Library> configure, params Patron[] pupils)
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = $"school-{Guid.NewGuid():N}"[..20];
        var settings = new ScenarioSettings { Roles = Everyone };
        var library = Samples.Library(libraryId) with
        {
            TimeZone = "UTC",
            Timing = Ladder,
            Scenarios = new Dictionary<Scenario, ScenarioSettings> { [Scenario.PreOverdue] = settings, [Scenario.Overdue] = settings },
        };
        return (host, await host.CreateLibraryAsync(configure(library), pupils), libraryId);
    }

    private static async Task IssueAsync(HttpClient client, string library, DateTimeOffset due, string patronId, params (string Id, string Title)[] loans)
    {
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{library}/loans", new
        {
            patronId,
            loans = loans.Select(l => new { loanId = l.Id, title = l.Title, dueAt = due }).ToArray(),
        }, HttpStatusCode.Created);
    }

    private static async Task PutPatronAsync(HttpClient client, string library, Patron patron)
    {
        using var response = await client.PutAsJsonAsync($"/api/libraries/{library}/patrons/{patron.Id}", patron, Comms.Common.CommsJson.Options);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The library's ladder mail: everything but the checkout receipts.</summary>
    private static async Task<List<MimeMessage>> LadderAsync(EndToEndHost host, string library) =>
        [.. (await host.OutboxAsync(library)).Where(m => !m.Subject!.Contains("loan receipt", StringComparison.OrdinalIgnoreCase))];

    private static bool IsPreOverdue(MimeMessage m) =>
        m.Subject!.Contains("due soon", StringComparison.OrdinalIgnoreCase) || m.Subject!.Contains("due back soon", StringComparison.OrdinalIgnoreCase);

    private static bool IsOverdue(MimeMessage m) => m.Subject!.Contains("overdue", StringComparison.OrdinalIgnoreCase);

    private static Task UntilAsync(DateTimeOffset instant) => Task.Delay(instant > DateTimeOffset.UtcNow ? instant - DateTimeOffset.UtcNow : TimeSpan.Zero);

    private static string To(MimeMessage message) => message.To.Mailboxes.Single().Address.ToLowerInvariant();

    private static MimeMessage Single(List<MimeMessage> messages, string to) => Assert.Single(messages, m => To(m) == to);

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    /// <summary>The weekly sender of the host's own stores and dispatcher, at a chosen instant.</summary>
    private sealed class Sender(EndToEndHost host, DateTimeOffset now)
    {
        public WeeklySummarySender Service { get; } = new(
            host.App.Services.GetRequiredService<LibraryStore>(),
            host.App.Services.GetRequiredService<WeeklySummaries>(),
            host.App.Services.GetRequiredService<LoanStore>(),
            host.App.Services.GetRequiredService<PatronStore>(),
            host.App.Services.GetRequiredService<Comms.Notices.INoticeDispatcher>(),
            new FixedTime(now));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
