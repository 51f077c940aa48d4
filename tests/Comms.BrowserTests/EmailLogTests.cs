using Comms.BrowserTests.Infrastructure;
using Comms.Suppression;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Comms.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class EmailLogTests(EmulatorFixture emulators, BrowserFixture browser)
{
    [Fact]
    public async Task EmailLog_FiltersAndPaging_ShowMatchingRowsBadgesAndEmptyState()
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser);
        await LogSeed.AppendAsync(session.Server, 25);
        var page = session.Page;
        var rows = page.Locator("#log-results tbody tr");
        await session.OpenAndSignInAsync();
        await Expect(rows).ToHaveCountAsync(25);

        // Paging: 10 per page, newest first, through the API's continuation token and back.
        await page.GetByLabel("Per page").SelectOptionAsync("10");
        await Expect(rows).ToHaveCountAsync(10);
        await Expect(rows.First).ToContainTextAsync("Notice 24");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Expect(page.Locator("#log-page")).ToHaveTextAsync("Page 2");
        await Expect(rows.First).ToContainTextAsync("Notice 14");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(5);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Next page" })).ToBeDisabledAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Previous page" }).ClickAsync();
        await Expect(rows.First).ToContainTextAsync("Notice 14");
        await session.ScreenshotAsync("log-paged");

        // Status and scenario filters: the five failed escalations, with a badge that says so in words.
        await page.Locator("#log-status").SelectOptionAsync("Failed");
        await page.Locator("#log-scenario").SelectOptionAsync("escalation-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(5);
        await Expect(rows.First.Locator(".badge-failed")).ToHaveTextAsync("Failed");
        await Expect(rows.First).ToContainTextAsync("Mailbox unavailable");
        await session.ScreenshotAsync("log-filtered-failed");

        // Date range (the first day holds hours 0-14) and address search.
        await page.GetByRole(AriaRole.Button, new() { Name = "Clear" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(25);
        await page.Locator("#log-from").FillAsync("2026-03-02");
        await page.Locator("#log-to").FillAsync("2026-03-02");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(15);
        await page.Locator("#log-address").FillAsync("READER7@example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("reader7@example.org");

        // Empty state, then an invalid range: the server's message appears next to "To".
        await page.Locator("#log-address").FillAsync("nobody@example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(page.Locator("#log-results .empty")).ToHaveTextAsync("No messages match these filters.");
        await session.ScreenshotAsync("log-empty");
        await page.Locator("#log-address").FillAsync(string.Empty);
        await page.Locator("#log-from").FillAsync("2026-03-05");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(page.Locator("#err-to")).ToContainTextAsync("Must be after 'from'.");
        await Expect(page.Locator("#log-to")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#log-results .error-state")).ToBeVisibleAsync();
        await session.ScreenshotAsync("log-filter-error");
        session.AssertNoPageErrors();
    }

    [Fact]
    public async Task ManageBlacklist_RemoveWithConfirmation_TakesTheAddressOffTheBlacklist()
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser);
        var blacklist = session.Server.Services.GetRequiredService<BlacklistStore>();
        // The view lists only addresses of this library's own contacts, so the address belongs to a patron.
        var patron = new Comms.Contacts.Patron
        {
            Id = "bounced-patron",
            Name = "Bounced Patron",
            Contacts = [new Comms.Contacts.Contact { Role = Comms.Contacts.ContactRole.Patron, Name = "Bounced Patron", Email = "bounced@example.org" }],
        };
        await session.Server.Services.GetRequiredService<Comms.Contacts.PatronService>().UpsertAsync(StaffPageSession.LibraryId, patron.Id, patron);
        await blacklist.AddAsync("bounced@example.org", "hard bounce", "ses", LogSeed.Start);
        // A few log rows beside the blacklist, for the README's picture of the page.
        await LogSeed.AppendAsync(session.Server, 6);
        var page = session.Page;
        await session.OpenAndSignInAsync();

        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Manage blacklist" });
        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");

        var row = page.Locator("#blacklist-body tr", new() { HasText = "bounced@example.org" });
        await Expect(row).ToContainTextAsync("hard bounce");
        await session.ScreenshotAsync("blacklist-list");
        await session.DocumentationScreenshotAsync("staff-email-log");
        await row.GetByRole(AriaRole.Button, new() { Name = "Remove bounced@example.org" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Notices will be sent to bounced@example.org again.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        Assert.True(await blacklist.IsBlacklistedAsync("bounced@example.org"));
        await row.GetByRole(AriaRole.Button, new() { Name = "Remove bounced@example.org" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("removed from the blacklist");
        Assert.False(await blacklist.IsBlacklistedAsync("bounced@example.org"));
        session.AssertNoPageErrors();
    }
}
