using Comms.BrowserTests.Infrastructure;
using Comms.EmailLog;
using Comms.Print;
using Comms.Tests.Infrastructure;
using Comms.Tests.Print;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Comms.BrowserTests;

/// <summary>The Print section: make a batch from the waiting printed notices, download its PDF, mark it printed.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PrintBatchTests(EmulatorFixture emulators, BrowserFixture browser)
{
    [Fact]
    public async Task Print_MakeDownloadAndMarkPrinted_ThePdfHasAPagePerNoticeAndTheLogSaysPrinted()
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser);
        await SeedAsync(session.Server, "Ada Lovelace", "Middlemarch");
        await SeedAsync(session.Server, "Grace Hopper", "Persuasion");
        var page = session.Page;
        await session.OpenAndSignInToDashboardAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Print" }).ClickAsync();
        await Expect(page.Locator("#print-results")).ToContainTextAsync("No print batches yet.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make a batch now" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("1 batch was made.");
        var row = page.Locator("#print-results tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator(".badge-ready")).ToHaveTextAsync("Ready to print");
        var violations = await AxeCheck.SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, "axe: " + string.Join(" | ", violations));
        await session.ScreenshotAsync("print-batches");

        var download = await page.RunAndWaitForDownloadAsync(() => row.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Download PDF") }).ClickAsync());
        var path = Path.Combine(Path.GetTempPath(), "comms-tests", Guid.NewGuid().ToString("N") + ".pdf");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await download.SaveAsAsync(path);
        var pages = PdfPages.Text(await File.ReadAllBytesAsync(path));
        File.Delete(path);
        Assert.Equal(2, pages.Count);
        Assert.Single(pages, p => p.Contains("Ada Lovelace", StringComparison.Ordinal) && p.Contains("Middlemarch", StringComparison.Ordinal));
        Assert.Single(pages, p => p.Contains("Grace Hopper", StringComparison.Ordinal) && p.Contains("Persuasion", StringComparison.Ordinal));

        await row.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Mark printed") }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Its 2 notices are then shown as printed");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Mark printed" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("marked printed");
        await Expect(row.Locator(".badge-printed")).ToHaveTextAsync("Printed");
        var log = await session.Server.Services.GetRequiredService<EmailLogStore>().QueryAsync(StaffPageSession.LibraryId, new EmailLogQuery { PageSize = 10 });
        Assert.All(log.Items, e => Assert.Equal(EmailStatus.Printed, e.Status));

        // The message log shows the print rows with their channel.
        await page.GetByRole(AriaRole.Link, new() { Name = "Message log" }).ClickAsync();
        await Expect(page.Locator("#log-results tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#log-results tbody tr").First).ToContainTextAsync("Print");
        session.AssertNoPageErrors();
    }

    /// <summary>A waiting printed notice and its Queued log row, as the print step stores them.</summary>
    private static async Task SeedAsync(DevHostServer server, string name, string title)
    {
        var now = DateTimeOffset.UtcNow;
        var id = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var item = new PrintItem
        {
            Id = id,
            LibraryId = StaffPageSession.LibraryId,
            Scenario = "recall",
            RecipientName = name,
            PostalAddress = "1 High Street\nLeeds",
            Heading = "Items recalled",
            Body = $"Please return {title}.",
            CreatedAt = now,
            LogEntryId = EmailLogStore.SentEntryId(id, now),
        };
        await server.Services.GetRequiredService<PrintItemStore>().TryInsertAsync(item);
        await server.Services.GetRequiredService<EmailLogStore>().AppendManyAsync([new EmailLogEntry
        {
            Id = item.LogEntryId!,
            Time = now,
            LibraryId = item.LibraryId,
            Scenario = item.Scenario,
            NoticeId = id,
            RecipientName = name,
            Subject = item.Heading,
            Channel = Comms.Delivery.NoticeChannel.Print,
            Provider = PrintFallback.ProviderName,
            Status = EmailStatus.Queued,
        }]);
    }
}
