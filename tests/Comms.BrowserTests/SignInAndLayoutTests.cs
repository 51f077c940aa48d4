using Comms.BrowserTests.Infrastructure;
using Comms.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Comms.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class SignInAndLayoutTests(EmulatorFixture emulators, BrowserFixture browser)
{
    [Fact]
    public async Task SignIn_WrongKeyThenRightKey_ShowsErrorThenDashboard()
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser);
        var page = session.Page;
        await page.GotoAsync(session.StaffUrl.ToString());

        await page.GetByLabel("Library id").FillAsync(StaffPageSession.LibraryId);
        await page.GetByLabel("Library key").FillAsync("not-the-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#signin-error")).ToHaveTextAsync("That library id and key do not match.");
        await session.ScreenshotAsync("signin-error");
        await session.OpenAndSignInToDashboardAsync();

        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Library: riverside")).ToBeVisibleAsync();
        Assert.Contains("riverside", await page.EvaluateAsync<string>("sessionStorage.getItem('comms.staff.session')"), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('comms.staff.session')"));
        session.AssertNoPageErrors();
    }

    [Fact]
    public async Task StatusLine_OfOneView_IsGoneOnTheNextButAMessageForTheNewViewStays()
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser);
        await LogSeed.AppendAsync(session.Server, 4);
        var page = session.Page;
        var status = page.Locator("#status");

        // Act and assert: the sign-in message on the dashboard, the log's count in the log, nothing left on the next view.
        await session.OpenAndSignInToDashboardAsync();
        await Expect(status).ToHaveTextAsync("Signed in to riverside.");
        await page.GetByRole(AriaRole.Link, new() { Name = "Message log" }).ClickAsync();
        await Expect(status).ToHaveTextAsync("Showing 4 messages, page 1.");
        await page.GetByRole(AriaRole.Link, new() { Name = "Templates" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Templates", Level = 1 })).ToBeVisibleAsync();
        await Expect(status).ToBeEmptyAsync();

        // A message about the move itself (a copy opens the editor) is said in the new view.
        await page.Locator("#copy-from").SelectOptionAsync("default:overdue");
        await page.Locator("#copy-name").FillAsync("Status copy");
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Expect(status).ToContainTextAsync("Copied \"Status copy\"");
        await page.GetByRole(AriaRole.Link, new() { Name = "Scenario settings" }).ClickAsync();
        await Expect(status).ToBeEmptyAsync();
        session.AssertNoPageErrors();
    }

    [Fact]
    public async Task PhoneWidth_EveryView_HasNoHorizontalScroll()
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser, width: 375, height: 812);
        await LogSeed.AppendAsync(session.Server, 3);
        var page = session.Page;
        await session.OpenAndSignInAsync();

        foreach (var (hash, heading) in new[] { ("dashboard", "Dashboard"), ("log", "Message log"), ("print", "Print"), ("templates", "Templates"), ("settings", "Scenario settings") })
        {
            await page.GotoAsync(session.StaffUrl + "#" + hash);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
            await session.ScreenshotAsync($"phone-{hash}");
            Assert.True(overflow <= 0, $"#{hash} scrolls sideways by {overflow}px at 375px.");
        }

        session.AssertNoPageErrors();
    }

    [Fact]
    public async Task Keyboard_SignInAndMainControls_ReachableWithTabAndVisiblyFocused()
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser);
        var page = session.Page;
        await page.GotoAsync(session.StaffUrl.ToString());

        // The skip link comes first, then the sign-in form; Enter submits.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await FocusedTextAsync(page));
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("signin-library", await FocusedIdAsync(page));
        await page.Keyboard.TypeAsync(StaffPageSession.LibraryId);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(session.LibraryKey);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Message log" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Message log", Level = 1 })).ToBeVisibleAsync();

        // From the top of the page: skip link, the four views, sign out, then the log's own controls in order.
        await page.Locator(".skip-link").FocusAsync();
        var order = new List<string> { await FocusedTextAsync(page) };
        for (var i = 0; i < 25 && order[^1] != "Show"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await FocusedTextAsync(page);
            Assert.True(await page.EvaluateAsync<bool>(FocusOutlineShown), $"Focus on '{focused}' has no visible outline.");
            // Tab also steps through the day, month and year of a date input: count the control once.
            if (focused != order[^1])
            {
                order.Add(focused);
            }
        }

        Assert.Equal(
            string.Join(", ", ["Skip to content", "Dashboard", "Message log", "Print", "Templates", "Scenario settings", "Sign out", "Manage blacklist", "log-from", "log-to", "log-status", "log-channel", "log-scenario", "log-address", "log-page-size", "Show"]),
            string.Join(", ", order));
        await session.ScreenshotAsync("keyboard-focus");

        // Enter on a focused navigation link opens its view.
        await page.GetByRole(AriaRole.Link, new() { Name = "Templates" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Templates", Level = 1 })).ToBeVisibleAsync();
        session.AssertNoPageErrors();
    }

    /// <summary>The page's own focus outline is drawn on the focused element (date inputs focus an inner field, hence :focus-within).</summary>
    private const string FocusOutlineShown =
        "(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; })()";

    /// <summary>The focused element's text, or its id for form controls (which have no text of their own).</summary>
    private static Task<string> FocusedTextAsync(IPage page) => page.EvaluateAsync<string>(
        "(() => { const e = document.activeElement; return e.matches('input, select, textarea') ? e.id : e.textContent.trim(); })()");

    private static Task<string> FocusedIdAsync(IPage page) => page.EvaluateAsync<string>("document.activeElement.id");
}
