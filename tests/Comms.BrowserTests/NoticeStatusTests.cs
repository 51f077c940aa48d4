using Comms.BrowserTests.Infrastructure;
using Comms.Tests;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Comms.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class NoticeStatusTests(EmulatorFixture emulators, BrowserFixture browser)
{
    [Fact]
    public async Task EmailLogRow_OpensItsNoticeStatus_AndResendQueuesALinkedNotice()
    {
        // Arrange: a current loans report sent through the outbox, so its log row names its notice.
        await using var session = await StaffPageSession.StartAsync(emulators, browser);
        await session.Server.Services.GetRequiredService<Comms.Contacts.PatronService>().UpsertAsync(StaffPageSession.LibraryId, "p1", Samples.Patron("p1"));
        using var queued = await session.Server.SendAsync(HttpMethod.Post, $"/api/libraries/{StaffPageSession.LibraryId}/patrons/p1/current-loans-report", session.LibraryKey);
        queued.EnsureSuccessStatusCode();
        var noticeId = (await queued.JsonAsync())["notice"]!["noticeId"]!.GetValue<string>();
        await session.Server.OutboxSettledAsync(StaffPageSession.LibraryId);
        var page = session.Page;
        await session.OpenAndSignInAsync();
        var panel = page.Locator("#notice-panel");

        // Act: open the notice from its log row.
        await page.Locator("#log-results tbody tr").First.GetByRole(AriaRole.Button, new() { Name = "Notice status" }).ClickAsync();

        // Assert: its status and its attempt, by provider.
        await Expect(page.Locator("#notice-title")).ToContainTextAsync(noticeId);
        await Expect(panel.Locator(".badge-sent")).ToHaveTextAsync("Sent");
        await Expect(panel.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(panel.Locator("tbody tr").First).ToContainTextAsync("Pickup");
        await Expect(panel.GetByRole(AriaRole.Button, new() { Name = "Cancel notice" })).ToHaveCountAsync(0);
        await session.ScreenshotAsync("notice-status");

        // Act: resend, after confirming.
        await panel.GetByRole(AriaRole.Button, new() { Name = "Resend" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("rendered from the current template");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Resend" }).ClickAsync();

        // Assert: the panel now shows the new notice, linked to the original.
        await Expect(page.Locator("#status")).ToContainTextAsync("Resent as notice");
        await Expect(panel).ToContainTextAsync("Resends");
        await Expect(panel.GetByRole(AriaRole.Button, new() { Name = noticeId })).ToBeVisibleAsync();
        await Expect(page.Locator("#notice-title")).Not.ToContainTextAsync(noticeId);
        await session.Server.OutboxSettledAsync(StaffPageSession.LibraryId);
        var log = await session.Server.Services.GetRequiredService<Comms.EmailLog.EmailLogStore>().QueryAsync(StaffPageSession.LibraryId, new Comms.EmailLog.EmailLogQuery());
        Assert.Equal(2, log.Items.Count(e => e.Status == Comms.EmailLog.EmailStatus.Sent));
        session.AssertNoPageErrors();
    }
}
