using Comms.BrowserTests.Infrastructure;
using Comms.EmailLog;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Comms.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class EmailDetailTests(EmulatorFixture emulators, BrowserFixture browser)
{
    private const string HostileName = "<img src=x onerror=alert(1)> Reader";

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(375, 812)]
    public async Task LogRow_DetailsByKeyboard_ShowsTheRowAndEveryAttemptAsTextAndCloseReturnsFocus(int width, int height)
    {
        // Arrange: one ladder notice (no outbox) with a recipient whose name is markup.
        await using var session = await StaffPageSession.StartAsync(emulators, browser, width, height);
        var time = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var store = session.Server.Services.GetRequiredService<EmailLogStore>();
        // The notice's first attempt failed at ACS; the failover to SES is the row opened.
        await store.AppendAsync(new EmailLogEntry
        {
            Id = EmailLogStore.NewId(time.AddMinutes(-1)),
            Time = time.AddMinutes(-1),
            LibraryId = StaffPageSession.LibraryId,
            Scenario = "escalation-1",
            NoticeId = "n1",
            Address = "reader@example.org",
            Subject = "Still overdue: 2 items",
            Provider = "Acs",
            Status = EmailStatus.Failed,
            Reason = "ACS unavailable (503)",
        });
        await store.AppendAsync(new EmailLogEntry
        {
            Id = EmailLogStore.NewId(time),
            Time = time,
            LibraryId = StaffPageSession.LibraryId,
            Scenario = "escalation-1",
            TemplateId = "default:escalation",
            TemplateVersion = 3,
            NoticeId = "n1",
            Address = "reader@example.org",
            RecipientName = HostileName,
            Role = Comms.Contacts.ContactRole.Parent,
            PatronId = "p1",
            Subject = "Still overdue: 2 items",
            Preview = "Dear <b>Reader</b>,\nThe items below are still overdue.",
            Provider = "Ses",
            ProviderMessageId = "0100018e-msg",
            Status = EmailStatus.Bounced,
            Reason = "550 5.1.1 mailbox unknown",
            Attempt = 2,
        });
        var page = session.Page;
        await session.OpenAndSignInAsync();

        // Act: reach the row's Details button with Tab and open it with Enter.
        var details = page.GetByRole(AriaRole.Button, new() { Name = "Details: Still overdue: 2 items" }).First;
        await details.FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        // Assert: focus on the panel's title; every fact as text, the markup in the name shown, not run.
        var panel = page.Locator("#notice-panel");
        await Expect(page.Locator("#notice-title")).ToBeFocusedAsync();
        await Expect(page.Locator("#notice-title")).ToHaveTextAsync("Email: Still overdue: 2 items");
        await Expect(panel.Locator(".badge-bounced")).ToHaveTextAsync("Bounced");
        await Expect(panel).ToContainTextAsync($"{HostileName} <reader@example.org>");
        await Expect(panel).ToContainTextAsync("Parent");
        await Expect(panel).ToContainTextAsync("default:escalation, version 3");
        await Expect(panel).ToContainTextAsync("0100018e-msg");
        await Expect(panel).ToContainTextAsync("550 5.1.1 mailbox unknown");
        await Expect(panel.Locator("pre")).ToContainTextAsync("Dear <b>Reader</b>,");

        // Every attempt of the notice, newest first, each with its provider and reason.
        var attempts = panel.Locator("table tbody tr");
        await Expect(attempts).ToHaveCountAsync(2);
        await Expect(attempts.Nth(0)).ToContainTextAsync("Ses");
        await Expect(attempts.Nth(1)).ToContainTextAsync("ACS unavailable (503)");
        Assert.Equal(0, await panel.Locator("img, b").CountAsync());
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The details scroll sideways by {overflow}px at {width}px.");
        await session.ScreenshotAsync($"email-detail-{width}");
        var violations = await AxeCheck.SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, "axe: " + string.Join(" | ", violations));
        if (width > 720)
        {
            await session.DocumentationScreenshotAsync("staff-email-detail");
        }

        // Close with the keyboard: focus goes back to the row's button.
        await panel.GetByRole(AriaRole.Button, new() { Name = "Close" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(panel).ToBeHiddenAsync();
        await Expect(details).ToBeFocusedAsync();
        session.AssertNoPageErrors();
    }
    [Theory]
    [InlineData(1280, 900)]
    [InlineData(375, 812)]
    public async Task LogRow_DetailsOfASentEmail_ShowsTheStoredCopyInASandboxedFrame(int width, int height)
    {
        // Arrange: a sent row and its stored copy (docs/message-copies.md).
        await using var session = await StaffPageSession.StartAsync(emulators, browser, width, height);
        var time = DateTimeOffset.UtcNow.AddMinutes(-5);
        var noticeId = new string('a', 64);
        await session.Server.Services.GetRequiredService<EmailLogStore>().AppendAsync(new EmailLogEntry
        {
            Id = EmailLogStore.NewId(time),
            Time = time,
            LibraryId = StaffPageSession.LibraryId,
            Scenario = "welcome",
            NoticeId = noticeId,
            Address = "reader@example.org",
            Subject = "Welcome to the library",
            Provider = "Pickup",
            Status = EmailStatus.Sent,
        });
        await session.Server.Services.GetRequiredService<Comms.MessageCopies.MessageCopyStore>().TryWriteAsync(new Comms.MessageCopies.MessageCopy
        {
            LibraryId = StaffPageSession.LibraryId,
            NoticeId = noticeId,
            Scenario = "welcome",
            SentAt = time,
            Subject = "Welcome to the library",
            Html = "<html><body><p>Hello reader</p><script>document.body.textContent='ran'</script></body></html>",
            Text = "Hello reader, as text",
            Headers = [new("Subject", "Welcome to the library"), new("List-Unsubscribe", "<[hidden]>")],
        });
        var page = session.Page;
        await session.OpenAndSignInAsync();

        // Act
        await page.GetByRole(AriaRole.Button, new() { Name = "Details: Welcome to the library" }).First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        // Assert: the HTML in a frame without scripts, the text and the headers as text.
        var panel = page.Locator("#notice-panel");
        var frame = panel.Locator("iframe.message-frame");
        // Sandboxed without allow-scripts: the planted script does not run (the paragraph is still there).
        await Expect(frame).ToHaveAttributeAsync("sandbox", "allow-same-origin");
        await Expect(page.FrameLocator("#notice-panel iframe.message-frame").Locator("p")).ToHaveTextAsync("Hello reader");
        await Expect(panel).ToContainTextAsync("Hello reader, as text");
        await Expect(panel).ToContainTextAsync("<[hidden]>");
        var violations = await AxeCheck.SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, "axe: " + string.Join(" | ", violations));
    }

    [Theory]
    [InlineData(1280, 900, "staff-message-copy")]
    [InlineData(375, 812, "staff-message-copy-phone")]
    public async Task LogRow_DetailsOfASentOverdueNotice_ShowsTheEmailAsSentWithTheLibrarysLogo(int width, int height, string picture)
    {
        // Arrange: a branded library (its logo's host served by the browser context) sends a real overdue notice.
        await using var session = await StaffPageSession.StartAsync(emulators, browser, width, height);
        await session.Context.RouteAsync("https://logo.riverside.example/**", route =>
            route.FulfillAsync(new() { Status = 200, ContentType = "image/svg+xml", Body = Logo }));
        var lib = StaffPageSession.LibraryId;
        using var layout = await session.Server.SendAsync(HttpMethod.Put, $"/api/libraries/{lib}/layout", session.LibraryKey, new
        {
            logoUrl = "https://logo.riverside.example/logo.svg", brandColour = "#0b3d91", brandTextColour = "#ffffff", linkColour = "#0b3d91",
            footerText = "Open every day but Sunday.", address = "1 River Street\nRiverside",
        });
        Assert.Equal(System.Net.HttpStatusCode.OK, layout.StatusCode);
        await session.Server.Services.GetRequiredService<Comms.Contacts.PatronService>().UpsertAsync(lib, "p1", Comms.Tests.Samples.Patron("p1"));
        var due = new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero);
        await session.Server.Services.GetRequiredService<Comms.Notices.INoticeDispatcher>().DispatchAsync(new Comms.Notices.NoticeRequest
        {
            LibraryId = lib,
            Scenario = new Comms.Scenarios.ScenarioKey(Comms.Scenarios.Scenario.Overdue),
            SubjectRecordId = "digest-p1",
            ScheduledFor = new DateOnly(2026, 11, 25),
            PatronId = "p1",
            Loans =
            [
                new Comms.Notices.LoanFact("loan-1", "The Hobbit", "J. R. R. Tolkien", "30001234567890", due),
                new Comms.Notices.LoanFact("loan-2", "Matilda", "Roald Dahl", "30001234567891", due),
            ],
        });
        var page = session.Page;
        await session.OpenAndSignInAsync();

        // Act: the reader's own row, opened by keyboard.
        var row = page.Locator("#log-results tbody tr", new() { HasText = "p1@pupils.example.org" });
        await row.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Details") }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        // Assert: the email as the reader got it, the logo loaded, the reader's own link hidden.
        var panel = page.Locator("#notice-panel");
        var email = page.FrameLocator("#notice-panel iframe.message-frame");
        await Expect(email.Locator("body")).ToContainTextAsync("The Hobbit");
        await Expect(email.Locator("img[src='https://logo.riverside.example/logo.svg']")).ToHaveJSPropertyAsync("naturalWidth", 240);
        await Expect(panel.Locator("section.message-copy pre")).ToContainTextAsync("[hidden]");
        await Expect(panel).Not.ToContainTextAsync("token=");
        if (width < 400)
        {
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"The details scroll sideways by {overflow}px at 375px.");
        }

        await panel.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.File("docs", "images"), picture + ".png") });
        var violations = await AxeCheck.SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, "axe: " + string.Join(" | ", violations));
        session.AssertNoPageErrors();
    }

    // The library's logo as its host serves it: 240×48, white on the header's blue.
    private const string Logo =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"240\" height=\"48\" viewBox=\"0 0 240 48\">" +
        "<rect width=\"240\" height=\"48\" fill=\"#0b3d91\"/><circle cx=\"24\" cy=\"24\" r=\"14\" fill=\"#ffffff\"/>" +
        "<text x=\"48\" y=\"31\" font-family=\"sans-serif\" font-size=\"20\" fill=\"#ffffff\">Riverside Library</text></svg>";
}
