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
        await Expect(frame).ToHaveAttributeAsync("sandbox", "");
        await Expect(page.FrameLocator("#notice-panel iframe.message-frame").Locator("p")).ToHaveTextAsync("Hello reader");
        await Expect(panel).ToContainTextAsync("Hello reader, as text");
        await Expect(panel).ToContainTextAsync("<[hidden]>");
        var violations = await AxeCheck.SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, "axe: " + string.Join(" | ", violations));
    }
}
