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
/// The contact self-service page (the m2 link of a household, class or summary email) in headless Chromium at phone
/// width: a parent turns an optional notice off for every child by keyboard, cannot touch a mandatory one, sees no
/// child's name, the page wears the library's brand, passes axe and breaks no CSP rule, and a revoked link stops working.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContactSelfServicePageTests(EmulatorFixture emulators, BrowserFixture browser)
{
    private const string Parent = "parent.p1@home.example.org";

    [Fact]
    public async Task FooterLink_ParentTurnsWelcomeOffForAllByKeyboard_NoPatronShown_RevokedLinkRefused()
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser, width: 375, height: 812);
        var lib = StaffPageSession.LibraryId;
        using var put = await session.Server.SendAsync(HttpMethod.Put, $"/api/libraries/{lib}/patrons/p1", session.LibraryKey, Samples.Patron("p1"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var layout = await session.Server.SendAsync(HttpMethod.Put, $"/api/libraries/{lib}/layout", session.LibraryKey, new { brandColour = "#7a1f5c", brandTextColour = "#ffffff", linkColour = "#1a56db" });
        Assert.Equal(HttpStatusCode.OK, layout.StatusCode);
        var link = session.Server.Services.GetRequiredService<UnsubscribeLinks>().ContactManageLinkFor(lib, Parent, "en-GB")!;
        var url = new Uri(session.Server.Client.BaseAddress!, new Uri(link).PathAndQuery).ToString();
        var page = session.Page;

        var response = await page.GotoAsync(url);
        var policy = (await response!.AllHeadersAsync())["content-security-policy"];

        // The patron page's policy and brand: nothing loads or runs but one style block allowed by its hash.
        Assert.StartsWith(Comms.Functions.Preferences.UnsubscribePage.ContentSecurityPolicy, policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'sha256-", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Banner)).ToHaveTextAsync($"Library {lib}");
        Assert.Equal("rgb(122, 31, 92)", await page.Locator("header").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("your email preferences");
        await Expect(page.GetByText("about the readers you are a contact for")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = $"Emails from Library {lib}" })).ToBeVisibleAsync();

        // No patron on the page: not the child's name, not the parent's as the library system holds it.
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Patron p1");
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Parent of p1");
        var overdue = page.GetByLabel("Overdue", new() { Exact = true });
        await Expect(overdue).ToBeCheckedAsync();
        await Expect(overdue).ToBeDisabledAsync();
        await Expect(page.GetByLabel("Password reset", new() { Exact = true })).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("Days before the due date for the reminder")).ToHaveCountAsync(0);
        var violations = await AxeCheck.SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, "axe: " + string.Join(" | ", violations));

        // Keyboard only: focus the Welcome box, Space unticks it, Enter on the button saves.
        await page.GetByLabel("Welcome", new() { Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save my choices" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your choices are saved.");
        await Expect(page.GetByLabel("Welcome", new() { Exact = true })).Not.ToBeCheckedAsync();
        await Expect(page.GetByLabel("Due soon", new() { Exact = true })).ToBeCheckedAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "horizontal scroll at phone width");
        violations = await AxeCheck.SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, "axe after saving: " + string.Join(" | ", violations));
        await session.ScreenshotAsync("contact-self-service-saved");

        using var get = await session.Server.SendAsync(HttpMethod.Get, $"/api/libraries/{lib}/contacts/{Parent}/preferences", session.LibraryKey);
        var row = JsonDocument.Parse(await get.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["welcome"], row.GetProperty("offForAllPatrons").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(SelfService.AuditBy, row.GetProperty("audit")[0].GetProperty("by").GetString());

        using var revoke = await session.Server.SendAsync(HttpMethod.Post, $"/api/libraries/{lib}/contacts/{Parent}/preferences/revoke-links", session.LibraryKey);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        var refused = await page.GotoAsync(url);
        Assert.Equal(403, refused!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Link not valid" })).ToBeVisibleAsync();
        session.AssertNoPageErrors();
    }
}
