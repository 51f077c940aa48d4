using Comms.BrowserTests.Infrastructure;
using Comms.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Comms.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class TemplateEditorTests(EmulatorFixture emulators, BrowserFixture browser)
{
    [Fact]
    public async Task Template_CopyEditPreviewInvalidSaveRollback_WorksInTheBrowser()
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser);
        var page = session.Page;
        await session.OpenAndSignInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Templates" }).ClickAsync();
        await Expect(page.Locator("#templates-list .empty")).ToBeVisibleAsync();

        // Copy the shipped overdue default; the editor opens on the copy, inactive.
        await page.Locator("#copy-from").SelectOptionAsync("default:overdue");
        await page.Locator("#copy-name").FillAsync("Our overdue notice");
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Edit template: Our overdue notice" })).ToBeVisibleAsync();
        await Expect(page.Locator("#ed-active")).Not.ToBeCheckedAsync();
        await Expect(page.Locator("#pv-state")).ToContainTextAsync("Preview of overdue with sample data");
        var originalSubject = await page.Locator("#ed-subject").InputValueAsync();

        // Live preview: the subject and the HTML frame follow the draft without saving.
        await page.Locator("#ed-subject").FillAsync("Please return {{#items}}{{title}}{{/items}} soon");
        await Expect(page.Locator("#pv-subject")).ToHaveTextAsync("Please return " + await SampleTitleAsync(page) + " soon");
        // For the README: the draft's new subject in the preview above the whole rendered email.
        await session.DocumentationScreenshotAsync("staff-template-editor");
        var html = await page.Locator("#ed-html").InputValueAsync();
        // The default is content only (the layout frames it): the marker goes first in the content.
        await page.Locator("#ed-html").FillAsync("<p id=\"marker\">Edited in the browser</p>" + html);
        await Expect(page.FrameLocator("#pv-html").Locator("#marker")).ToHaveTextAsync("Edited in the browser");
        // Sandboxed without allow-scripts: the page writes the email into the frame, no script in it ever runs.
        Assert.Equal("allow-same-origin", await page.Locator("#pv-html").GetAttributeAsync("sandbox"));
        await session.ScreenshotAsync("template-preview");

        // A syntax error is reported at its line and column next to the HTML field.
        await page.Locator("#ed-html").FillAsync("<p>\n  {{#items}}{{title}}\n</p>");
        await Expect(page.Locator("#err-html")).ToContainTextAsync("Line 2, column 3");
        await Expect(page.Locator("#ed-html")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save new version" }).ClickAsync();
        await Expect(page.Locator("#err-html")).ToContainTextAsync("never closed");
        await session.ScreenshotAsync("template-validation-error");

        // Fix and save: version 2. Then roll back to version 1: version 3 with the original subject.
        await page.Locator("#ed-html").FillAsync("<p>{{#items}}{{title}}{{/items}}</p>");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save new version" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("Saved version 2");
        await Expect(page.Locator("#err-html")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Roll back to version 1" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Roll back" }).ClickAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("version 3 has the text of version 1");
        await Expect(page.Locator("#ed-subject")).ToHaveValueAsync(originalSubject);
        await Expect(page.Locator("#versions tbody tr")).ToHaveCountAsync(3);
        await session.ScreenshotAsync("template-versions");

        // The list shows the template with its status, scenarios and language.
        await page.GetByRole(AriaRole.Link, new() { Name = "← All templates" }).ClickAsync();
        var row = page.Locator("#templates-list tbody tr", new() { HasText = "Our overdue notice" });
        await Expect(row).ToContainTextAsync("Inactive");
        await Expect(row).ToContainTextAsync("overdue");
        await Expect(row).ToContainTextAsync("en-GB");
        await session.ScreenshotAsync("templates-list");
        session.AssertNoPageErrors();
    }

    /// <summary>The sample reader's items, as the catalogue renders them, so the test does not hard-code sample data.</summary>
    private static Task<string> SampleTitleAsync(IPage page) => page.EvaluateAsync<string>(
        "fetch('/api/scenarios').then(r => r.json()).then(c => c.items.find(s => s.key === 'overdue').sampleData.items.map(i => i.title).join(''))");
}
