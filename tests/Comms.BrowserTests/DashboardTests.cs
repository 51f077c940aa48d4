using Comms.BrowserTests.Infrastructure;
using Comms.Circulation;
using Comms.EmailLog;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Comms.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(EmulatorFixture emulators, BrowserFixture browser)
{
    [Fact]
    public async Task Dashboard_KeyboardOnly_ShowsChartTableRatesAndLinksToTheFailedNotices()
    {
        // Arrange: four weeks of sending with one complaint (0.1 % or more: the SES review level) and three failures.
        await using var session = await StaffPageSession.StartAsync(emulators, browser);
        var seeded = await SeedAsync(session.Server);
        var page = session.Page;
        await page.GotoAsync(session.StaffUrl.ToString());

        // Act: sign in with the keyboard alone.
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(StaffPageSession.LibraryId);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(session.LibraryKey);
        await page.Keyboard.PressAsync("Enter");

        // Assert: the dashboard is the first view; the health in words, the chart as an image with a summary.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.Locator(".badge-health-review")).ToHaveTextAsync("At the review threshold");
        await Expect(page.Locator("#dash-body")).ToContainTextAsync("Complaint rate: 0.");
        var chart = page.GetByRole(AriaRole.Img, new() { Name = "Notices per day" });
        await Expect(chart).ToBeVisibleAsync();
        await Expect(page.Locator("#dash-body")).ToContainTextAsync($"{seeded.Total:N0} emails:");
        Assert.True(await chart.Locator("rect").CountAsync() >= 28);

        // Tonight's notices: loans per step at the next send time, in the library's zone (London: GMT in winter, BST in summer).
        var plannedCard = page.Locator("section[aria-labelledby=dash-planned-title]");
        await Expect(plannedCard).ToContainTextAsync("(Europe/London): 42 loans reach a notice step.");
        await Expect(plannedCard.GetByRole(AriaRole.Row, new() { Name = "overdue 14" })).ToBeVisibleAsync();
        await Expect(plannedCard.GetByRole(AriaRole.Row, new() { Name = "pre-overdue 23" })).ToBeVisibleAsync();
        await Expect(plannedCard.GetByRole(AriaRole.Row, new() { Name = "escalation-1 5" })).ToBeVisibleAsync();
        await Expect(plannedCard).Not.ToContainTextAsync("null");

        // Blacklist growth: today's three addresses as a chart, and as a table from the keyboard.
        var growthCard = page.Locator("section[aria-labelledby=dash-growth-title]");
        await Expect(growthCard).ToContainTextAsync("3 addresses of this library's readers and suppliers blacklisted");
        await Expect(growthCard.GetByRole(AriaRole.Img, new() { Name = "Blacklist growth" })).ToBeVisibleAsync();
        await growthCard.GetByText("The blacklist numbers per day").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(growthCard.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(growthCard.Locator("tbody tr td")).ToHaveTextAsync("3");

        // The numbers behind the chart open from the keyboard: one row per day with emails.
        await page.GetByText("The numbers per day").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("section[aria-labelledby=dash-daily-title] details tbody tr")).ToHaveCountAsync(seeded.Days);
        await session.DocumentationScreenshotAsync("staff-dashboard");
        var violations = await AxeCheck.SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, "axe: " + string.Join(" | ", violations));

        // A scenario narrows the chart to it (Show from the keyboard); the rates stay the library's.
        await page.Locator("#dash-scenario").SelectOptionAsync("escalation-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "escalation-1 notices per day" }).First).ToBeVisibleAsync();
        await Expect(page.Locator("#dash-body")).ToContainTextAsync($"{seeded.Failed} emails: 0 sent or delivered, 0 bounced or complained, {seeded.Failed} failed");
        await Expect(page.Locator(".badge-health-review")).ToBeVisibleAsync();

        // The failed notices link to the email log filtered to them.
        await page.GetByRole(AriaRole.Link, new() { Name = $"{seeded.Failed} emails failed" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Message log", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#log-status")).ToHaveValueAsync("Failed");
        await Expect(page.Locator("#log-results tbody tr")).ToHaveCountAsync(seeded.Failed);
        session.AssertNoPageErrors();
    }

    [Fact]
    public async Task Dashboard_PhoneWidth_FitsWithoutSidewaysScrollAndShowsTheEmptyState()
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser, width: 375, height: 812);
        var page = session.Page;

        // An empty log first: every card says so in words.
        await session.OpenAndSignInToDashboardAsync();
        await Expect(page.Locator("#dash-body")).ToContainTextAsync("No emails in this period.");
        await Expect(page.Locator("#dash-body")).ToContainTextAsync("Nothing failed in this period.");
        await Expect(page.Locator(".badge-health-ok")).ToHaveTextAsync("Healthy");
        await Expect(page.Locator("#dash-body")).ToContainTextAsync("No loan notices are planned.");
        await Expect(page.Locator("#dash-body")).ToContainTextAsync("No address of this library's readers or suppliers was blacklisted in this period.");

        await SeedAsync(session.Server);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Notices per day" })).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        await session.ScreenshotAsync("phone-dashboard");
        Assert.True(overflow <= 0, $"The dashboard scrolls sideways by {overflow}px at 375px.");
        session.AssertNoPageErrors();
    }

    private sealed record Seeded(int Total, int Days, int Failed);

    /// <summary>
    /// Days 0-27 before now: 20-32 overdue notices sent a day, a bounce every sixth day, a suppressed one every
    /// fourth, an escalation-1 failure on days 2, 11 and 20, and one complaint. Times are relative to now, so the
    /// dashboard's dates (and its screenshot) follow today.
    /// </summary>
    private static async Task<Seeded> SeedAsync(DevHostServer server)
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        var entries = new List<EmailLogEntry>();
        void Add(DateTimeOffset time, string scenario, EmailStatus status) => entries.Add(new EmailLogEntry
        {
            Id = EmailLogStore.NewId(time),
            Time = time,
            LibraryId = StaffPageSession.LibraryId,
            Scenario = scenario,
            NoticeId = $"n{entries.Count}",
            Address = $"reader{entries.Count}@example.org",
            Status = status,
            Reason = status == EmailStatus.Failed ? "Mailbox unavailable" : null,
            Provider = "Pickup",
        });
        for (var d = 0; d < 28; d++)
        {
            var day = now.AddDays(-d);
            for (var i = 0; i < 20 + (d * 7 % 13); i++)
            {
                Add(day.AddSeconds(-i), "overdue", EmailStatus.Sent);
            }

            if (d % 6 == 1) Add(day.AddSeconds(-100), "overdue", EmailStatus.Bounced);
            if (d % 4 == 0) Add(day.AddSeconds(-101), "pre-overdue", EmailStatus.Suppressed);
            if (d % 9 == 2) Add(day.AddSeconds(-102), "escalation-1", EmailStatus.Failed);
            if (d == 5) Add(day.AddSeconds(-103), "overdue", EmailStatus.Complained);
        }

        await server.Services.GetRequiredService<EmailLogStore>().AppendManyAsync(entries);

        // Tomorrow's send time: 42 loans at 18:00 UTC, and more the day after (not counted tonight).
        var plans = server.Services.GetRequiredService<LoanPlanIndex>();
        var next = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1).AddHours(18), TimeSpan.Zero);
        var steps = Enumerable.Repeat("overdue", 14).Concat(Enumerable.Repeat("pre-overdue", 23)).Concat(Enumerable.Repeat("escalation-1", 5));
        foreach (var (step, i) in steps.Select((step, i) => (step, i)))
        {
            await plans.RecordAsync(StaffPageSession.LibraryId, $"loan-{i}", new PlannedStep(step, next, DateOnly.FromDateTime(next.UtcDateTime)));
        }

        // Three of the library's addresses blacklisted today by bounce reports (one reported twice: counted once).
        var growth = server.Services.GetRequiredService<Comms.Suppression.BlacklistGrowth>();
        foreach (var bounced in entries.Take(3).Append(entries[0]))
        {
            await growth.ReportedAsync(bounced with { Status = EmailStatus.Bounced });
        }

        await plans.RecordAsync(StaffPageSession.LibraryId, "later", new PlannedStep("overdue", next.AddDays(1), DateOnly.FromDateTime(next.UtcDateTime).AddDays(1)));
        return new Seeded(entries.Count, entries.Select(e => DateOnly.FromDateTime(e.Time.UtcDateTime)).Distinct().Count(), entries.Count(e => e.Status == EmailStatus.Failed));
    }
}
