using Microsoft.Playwright;

namespace Comms.BrowserTests.Infrastructure;

/// <summary>
/// One headless Chromium for the run: Debian's own build (installed by ./test.sh), driven by Playwright through
/// ExecutablePath, so no browser is ever downloaded.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots are test artifacts, kept beside the test assembly.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("COMMS_CHROMIUM") ?? ChromiumPath;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium not found at {executable}: run the tests with ./test.sh, which installs it, or 'apt-get install -y chromium'.");
        }

        Directory.CreateDirectory(ScreenshotFolder);
        // The same bound as page actions (StaffPageSession): Expect's own 5 s default was too short for an API
        // round trip on a loaded 2-core machine (a test-send's field error once came later and failed the run).
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                "--no-first-run", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Comms.Tests.Infrastructure.EmulatorFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
