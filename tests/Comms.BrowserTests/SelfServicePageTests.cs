using System.Net;
using System.Text.Json;
using Comms.BrowserTests.Infrastructure;
using Comms.Preferences;
using Comms.Tests;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Comms.BrowserTests;

/// <summary>
/// The patron self-service page in headless Chromium, reached from the signed footer link: a reader turns an optional
/// notice off by keyboard, cannot touch a mandatory one, the page wears the library's colours, fits a phone, breaks no
/// CSP rule, and a revoked link stops working.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SelfServicePageTests(EmulatorFixture emulators, BrowserFixture browser)
{
    [Fact]
    public async Task FooterLink_ReaderTurnsWelcomeOffByKeyboard_MandatoryStaysOn_RevokedLinkRefused()
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser, width: 375, height: 812);
        var lib = StaffPageSession.LibraryId;
        using var put = await session.Server.SendAsync(HttpMethod.Put, $"/api/libraries/{lib}/patrons/p1", session.LibraryKey, Hostile(Samples.Patron("p1")));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var layout = await session.Server.SendAsync(HttpMethod.Put, $"/api/libraries/{lib}/layout", session.LibraryKey, new { brandColour = "#7a1f5c", brandTextColour = "#ffffff", linkColour = "#1a56db" });
        Assert.Equal(HttpStatusCode.OK, layout.StatusCode);
        var link = session.Server.Services.GetRequiredService<UnsubscribeLinks>().ManageLinkFor(lib, "p1", "p1@pupils.example.org")!;
        var url = new Uri(session.Server.Client.BaseAddress!, new Uri(link).PathAndQuery).ToString();
        var page = session.Page;

        var response = await page.GotoAsync(url);
        var policy = (await response!.AllHeadersAsync())["content-security-policy"];
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);

        // The library's brand: its colours through one style block the policy allows by hash, its name as the banner.
        Assert.Contains("style-src 'sha256-", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Banner)).ToHaveTextAsync($"Library {lib}");
        Assert.Equal("rgb(122, 31, 92)", await page.Locator("header").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("your email preferences");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = $"Emails from Library {lib}" })).ToBeVisibleAsync();
        var overdue = page.GetByLabel("Overdue", new() { Exact = true });
        await Expect(overdue).ToBeCheckedAsync();
        await Expect(overdue).ToBeDisabledAsync();
        await Expect(page.GetByText("Hello Ada <b>Lovelace</b>.")).ToBeVisibleAsync(); // the reader's own name, markup shown as text
        await Expect(page.Locator("main b")).ToHaveCountAsync(0);

        // Keyboard only: focus the Welcome box, Space unticks it, Enter on the button saves.
        await page.GetByLabel("Welcome", new() { Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Space");

        // The courtesy reminder's days: a labelled select of the library's range (1-7), the library's 3 chosen.
        var days = page.GetByLabel("Days before the due date for the reminder");
        await Expect(days).ToHaveValueAsync("3");
        await Expect(days.Locator("option")).ToHaveCountAsync(7);
        await days.FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(days).ToHaveValueAsync("5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save my choices" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your choices are saved.");
        await Expect(page.GetByLabel("Welcome", new() { Exact = true })).Not.ToBeCheckedAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "horizontal scroll at phone width");
        await session.ScreenshotAsync("self-service-saved");

        using var get = await session.Server.SendAsync(HttpMethod.Get, $"/api/libraries/{lib}/patrons/p1/preferences", session.LibraryKey);
        var preferences = JsonDocument.Parse(await get.Content.ReadAsStringAsync()).RootElement;
        Assert.False(preferences.GetProperty("scenarios").GetProperty("welcome").GetBoolean());
        Assert.True(preferences.GetProperty("scenarios").GetProperty("overdue").GetBoolean());
        Assert.Equal(SelfService.AuditBy, preferences.GetProperty("audit")[0].GetProperty("by").GetString());
        Assert.Equal(5, preferences.GetProperty("preOverdueDaysBefore").GetInt32());

        using var revoke = await session.Server.SendAsync(HttpMethod.Post, $"/api/libraries/{lib}/patrons/p1/preferences/revoke-links", session.LibraryKey);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        var refused = await page.GotoAsync(url);
        Assert.Equal(403, refused!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Link not valid" })).ToBeVisibleAsync();
        session.AssertNoPageErrors();
    }

    private static Comms.Contacts.Patron Hostile(Comms.Contacts.Patron patron) =>
        patron with { Contacts = [patron.Contacts[0] with { Name = "Ada <b>Lovelace</b>" }, .. patron.Contacts.Skip(1)] };
}
