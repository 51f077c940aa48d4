using System.Net;
using Comms.BrowserTests.Infrastructure;
using Comms.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Comms.BrowserTests;

/// <summary>
/// The library's logo (an https URL) loads in the staff page's previews — the layout's and the template editor's —
/// with no policy violation, while the page's own policy stays img-src 'self' data: and no script in an email runs.
/// The logo's host is served by the browser context itself (Playwright routing): a request the policy blocks never
/// reaches the route, so an image that loads proves the policy let it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PreviewLogoTests(EmulatorFixture emulators, BrowserFixture browser)
{
    private const string LogoUrl = "https://logo.riverside.example/brand/logo.png";

    // A 1×1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    [Fact]
    public async Task Previews_LayoutWithHttpsLogo_LogoLoadsWithoutPolicyViolation_PageScriptsStayOut()
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser);
        var page = session.Page;
        var logoRequests = new List<IRequest>();
        await session.Context.RouteAsync("https://logo.riverside.example/**", async route =>
        {
            logoRequests.Add(route.Request);
            await route.FulfillAsync(new() { Status = 200, ContentType = "image/png", BodyBytes = Png });
        });
        using var layout = await session.Server.SendAsync(
            HttpMethod.Put, $"/api/libraries/{StaffPageSession.LibraryId}/layout", session.LibraryKey,
            new { logoUrl = LogoUrl, brandColour = "#0b3d91", brandTextColour = "#ffffff", linkColour = "#1a56db" });
        Assert.Equal(HttpStatusCode.OK, layout.StatusCode);

        var staffPage = await page.GotoAsync(session.StaffUrl.ToString());
        Assert.Contains("img-src 'self' data:;", (await staffPage!.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        await session.OpenAndSignInToDashboardAsync();

        // The layout's preview: the welcome notice framed in the layout, its logo loaded (a blocked one has naturalWidth 0).
        await page.GetByRole(AriaRole.Link, new() { Name = "Scenario settings" }).ClickAsync();
        await Expect(page.Locator("#ly-state")).ToContainTextAsync("Preview of the welcome notice");
        var layoutLogo = page.FrameLocator("#ly-frame").Locator($"img[src='{LogoUrl}']");
        await Expect(layoutLogo).ToHaveJSPropertyAsync("naturalWidth", 1);
        await Expect(layoutLogo).ToHaveAttributeAsync("alt", $"Library {StaffPageSession.LibraryId}");

        // The template editor's preview, with a draft that tries to run script in the frame: the logo loads, the script does not.
        // The planted script and handler, and an image from another origin, are refused by the frame, as they must be.
        session.ExpectConsoleError("'allow-scripts' permission is not set");
        session.ExpectConsoleError("directive: \"default-src 'none'\"");
        session.ExpectConsoleError("Loading the image 'https://elsewhere.example/");
        var elsewhere = 0;
        await session.Context.RouteAsync("https://elsewhere.example/**", async route =>
        {
            elsewhere++;
            await route.FulfillAsync(new() { Status = 200, ContentType = "image/png", BodyBytes = Png });
        });
        await page.GetByRole(AriaRole.Link, new() { Name = "Templates" }).ClickAsync();
        await page.Locator("#copy-from").SelectOptionAsync("default:welcome");
        await page.Locator("#copy-name").FillAsync("Branded welcome");
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Edit template: Branded welcome" })).ToBeVisibleAsync();
        await page.Locator("#ed-mode-html").CheckAsync();
        await page.Locator("#ed-html").FillAsync(
            "<p id=\"marker\">Welcome</p><img src=\"data:,\" onerror=\"parent.document.body.dataset.ran='handler'\">" +
            "<script>parent.document.body.dataset.ran = 'script';</script><img id=\"elsewhere\" src=\"https://elsewhere.example/x.png\" alt=\"\">");
        var preview = page.FrameLocator("#pv-html");
        await Expect(preview.Locator("#marker")).ToHaveTextAsync("Welcome");
        await Expect(preview.Locator($"img[src='{LogoUrl}']")).ToHaveJSPropertyAsync("naturalWidth", 1);
        Assert.Null(await page.Locator("body").GetAttributeAsync("data-ran"));
        await Expect(preview.Locator("#elsewhere")).ToHaveJSPropertyAsync("complete", true);
        Assert.Equal(0, await preview.Locator("#elsewhere").EvaluateAsync<int>("img => img.naturalWidth"));
        Assert.Equal(0, elsewhere);
        await Expect(page.Locator("#pv-html")).ToHaveAttributeAsync("sandbox", "allow-same-origin");

        Assert.NotEmpty(logoRequests);
        Assert.All(logoRequests, request => Assert.False(request.Headers.ContainsKey("referer"), "The logo request carried a Referer."));
        session.AssertNoPageErrors();
    }
}
