using Comms.BrowserTests.Infrastructure;
using Comms.EmailLog;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Comms.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class TestSendTests(EmulatorFixture emulators, BrowserFixture browser)
{
    [Fact]
    public async Task SendTest_FromTheEditor_BadAddressShownAtTheFieldThenTheDraftArrivesAndIsLoggedAsATest()
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser);
        var page = session.Page;
        await session.OpenAndSignInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Templates" }).ClickAsync();
        await page.Locator("#copy-from").SelectOptionAsync("default:overdue");
        await page.Locator("#copy-name").FillAsync("Test-send copy");
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Expect(page.Locator("#pv-state")).ToContainTextAsync("Preview of overdue");
        await page.Locator("#ed-subject").FillAsync("Draft subject for the test send");

        await page.GetByLabel("To address").FillAsync("not-an-address");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test" }).ClickAsync();
        await Expect(page.Locator("#err-to")).ToContainTextAsync("not a valid email address");
        await page.GetByLabel("To address").FillAsync("staff@riverside.example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Test sent to staff@riverside.example.org");
        await session.ScreenshotAsync("template-test-send");

        var outbox = session.Server.Services.GetRequiredService<IConfiguration>()["Comms:Email:Pickup:Directory"]!;
        var message = MimeKit.MimeMessage.Load(Assert.Single(Directory.GetFiles(outbox, "*.eml")));
        Assert.Equal("Draft subject for the test send", message.Subject);
        var log = await session.Server.Services.GetRequiredService<EmailLogStore>().QueryAsync(StaffPageSession.LibraryId, new EmailLogQuery());
        Assert.True(Assert.Single(log.Items).IsTest);
        session.AssertNoPageErrors();
    }
}
