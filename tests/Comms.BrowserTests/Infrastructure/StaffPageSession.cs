using Comms.Tests;
using Comms.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Comms.BrowserTests.Infrastructure;

/// <summary>
/// A dev host with one library, and a browser page on its staff page. Every test gets its own, so tests
/// share neither data (own table prefix) nor browser state (own context, own sessionStorage).
/// </summary>
public sealed class StaffPageSession : IAsyncDisposable
{
    public const string LibraryId = "riverside";

    private readonly List<string> _pageErrors = [];
    private readonly List<string> _expectedErrors = [];

    private StaffPageSession(DevHostServer server, string libraryKey, IBrowserContext context, IPage page)
    {
        Server = server;
        LibraryKey = libraryKey;
        Context = context;
        Page = page;
        // Any script error or policy violation (CSP) fails the test at the end.
        page.PageError += (_, error) => _pageErrors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("status of 4", StringComparison.Ordinal)
                && !_expectedErrors.Any(expected => message.Text.Contains(expected, StringComparison.Ordinal)))
            {
                _pageErrors.Add(message.Text);
            }
        };
    }

    public DevHostServer Server { get; }

    public string LibraryKey { get; }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public Uri StaffUrl => new(Server.Client.BaseAddress!, "/api/staff/");

    public static async Task<StaffPageSession> StartAsync(EmulatorFixture emulators, BrowserFixture browser, int width = 1280, int height = 900)
    {
        var server = await DevHostServer.StartAsync(emulators);
        var key = await server.CreateLibraryAsync(Samples.Library(LibraryId));
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return new StaffPageSession(server, key, context, page);
    }

    /// <summary>Signs in, which lands on the dashboard, then opens the message log, where most tests start.</summary>
    public async Task OpenAndSignInAsync()
    {
        await OpenAndSignInToDashboardAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Message log" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Message log", Level = 1 })).ToBeVisibleAsync();
    }

    public async Task OpenAndSignInToDashboardAsync()
    {
        await Page.GotoAsync(StaffUrl.ToString());
        await Page.GetByLabel("Library id").FillAsync(LibraryId);
        await Page.GetByLabel("Library key").FillAsync(LibraryKey);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
    }

    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, name + ".png"), FullPage = true });

    /// <summary>
    /// A picture for the README, docs/images/{name}.png, retaken on every run so the README shows the page as it
    /// is now. The tests' seed data holds fixed dates and names, so a run changes the file only when the page does.
    /// </summary>
    public async Task DocumentationScreenshotAsync(string name)
    {
        var folder = RepoPaths.File("docs", "images");
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    /// <summary>A console error the test causes on purpose (a blocked script it planted), so it does not fail the test.</summary>
    public void ExpectConsoleError(string containing) => _expectedErrors.Add(containing);

    public void AssertNoPageErrors() => Assert.True(_pageErrors.Count == 0, "Page errors: " + string.Join(" | ", _pageErrors));

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        await Server.DisposeAsync();
    }
}
