using Comms.BrowserTests.Infrastructure;
using Comms.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Comms.BrowserTests;

/// <summary>
/// The layout settings and the formatted-text (content) mode of the template editor, used with the keyboard alone,
/// at desktop and phone width, with axe-core finding no serious or critical violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LayoutAndContentEditorTests(EmulatorFixture emulators, BrowserFixture browser)
{
    [Theory]
    [InlineData(1280, 900)]
    [InlineData(375, 812)]
    public async Task Layout_KeyboardOnly_ShowsContrastErrorThenSavesAndPreviews(int width, int height)
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser, width, height);
        var page = session.Page;
        await session.OpenAndSignInToDashboardAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Scenario settings" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Email layout" })).ToBeVisibleAsync();
        await Expect(page.Locator("#ly-state")).ToContainTextAsync("Preview of the welcome notice");

        // A header colour too light for its white text: the server's contrast message lands at the field.
        await page.Locator("#ly-brand").FocusAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("#ffff00");
        await page.Locator("#ly-footer").FocusAsync();
        await page.Keyboard.TypeAsync("Open <every> day");
        await page.Locator("#ly-address").FocusAsync();
        await page.Keyboard.TypeAsync("1 River Street");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("Riverside");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save layout" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#err-brandTextColour")).ToContainTextAsync("4.5:1");
        await Expect(page.Locator("#ly-brand-text")).ToHaveAttributeAsync("aria-invalid", "true");

        // Fixed: saved, and the preview frames the welcome notice in it (library data shown as text).
        await page.Locator("#ly-brand").FocusAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("#0b3d91");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save layout" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#status")).ToContainTextAsync("Layout saved");
        await Expect(page.Locator("#err-brandTextColour")).ToHaveCountAsync(0);
        var frame = page.FrameLocator("#ly-frame");
        await Expect(frame.Locator("body")).ToContainTextAsync("Open <every> day");
        await Expect(frame.Locator("body")).ToContainTextAsync("1 River Street");
        if (width > 400)
        {
            // The layout card only: the settings page above it is long and pictured elsewhere.
            var card = page.Locator("section[aria-labelledby=layout-title]");
            await card.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.File("docs", "images"), "staff-layout.png") });
        }
        else
        {
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"The settings scroll sideways by {overflow}px at 375px.");
            await session.ScreenshotAsync("phone-layout");
        }

        var violations = await AxeCheck.SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, "axe: " + string.Join(" | ", violations));
        session.AssertNoPageErrors();
    }

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(375, 812)]
    public async Task ContentMode_KeyboardOnly_WritesInsertsAVariableAndATablePointsAtMistakesAndSaves(int width, int height)
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser, width, height);
        var page = session.Page;
        await session.OpenAndSignInToDashboardAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Templates" }).ClickAsync();
        await page.Locator("#copy-from").SelectOptionAsync("default:overdue");
        await page.Locator("#copy-name").FillAsync("In plain words");
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Edit template: In plain words" })).ToBeVisibleAsync();

        // Formatted text from the keyboard: the radio, then the message (started from the plain text).
        await page.Locator("#ed-mode-content").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Expect(page.Locator("#ed-source")).ToBeVisibleAsync();
        await Expect(page.Locator("#ed-html")).ToBeHiddenAsync();
        await page.Locator("#ed-source").FocusAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("# Time to bring them back\n\nDear ");
        // Each variable is offered with its description, read with its name (the option's accessible name).
        var recipientName = page.Locator("#ed-variable option[value='recipient.name']");
        await Expect(recipientName).ToHaveAccessibleNameAsync("recipient.name — The name of the person this email goes to.");
        await Expect(page.Locator("#ed-variable option[value='patrons[].items[].dueDate']")).ToHaveAccessibleNameAsync(
            new System.Text.RegularExpressions.Regex("^patrons\\[\\]\\.items\\[\\]\\.dueDate — The date the item is due back"));
        var bare = await page.Locator("#ed-variable option").EvaluateAllAsync<string[]>("options => options.filter(o => !o.textContent.includes(' — ')).map(o => o.value)");
        Assert.True(bare.Length == 0, "Variables offered without a description: " + string.Join(", ", bare));
        await page.Locator("#ed-variable").SelectOptionAsync("recipient.name");
        await page.GetByRole(AriaRole.Button, new() { Name = "Insert variable" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync(",\n\n**Thank you** for reading <with us>.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Insert table" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        var preview = page.FrameLocator("#pv-html");
        await Expect(preview.Locator("h1")).ToHaveTextAsync("Time to bring them back");
        await Expect(preview.Locator("strong")).ToHaveTextAsync("Thank you");
        await Expect(preview.Locator("body")).ToContainTextAsync("for reading <with us>.");
        await Expect(preview.Locator("table caption")).ToHaveTextAsync("Items");
        await Expect(page.Locator("#pv-text")).ToContainTextAsync("Time to bring them back");

        // A misspelt variable: the message names the line and column in the text staff wrote.
        await page.Locator("#ed-source").FocusAsync();
        await page.Keyboard.PressAsync("Control+End");
        await page.Keyboard.TypeAsync("\nSee {{patron.nmae}}");
        await Expect(page.Locator("#err-source")).ToContainTextAsync("column 5: Unknown variable 'patron.nmae'");
        await page.Keyboard.PressAsync("Backspace");
        for (var i = 0; i < "See {{patron.nmae}".Length; i++)
        {
            await page.Keyboard.PressAsync("Backspace");
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Save new version" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#status")).ToContainTextAsync("Saved version 2");
        await Expect(page.Locator("#err-source")).ToHaveCountAsync(0);
        await Expect(page.Locator("#ed-text")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^Time to bring them back\\n\\nDear \\{\\{recipient.name\\}\\},"));
        await Expect(page.Locator("#versions tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#pv-state")).ToContainTextAsync("Preview of overdue");
        await Expect(preview.Locator("strong")).ToHaveTextAsync("Thank you");
        if (width > 400)
        {
            await session.DocumentationScreenshotAsync("staff-content-editor");
        }
        else
        {
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"The editor scrolls sideways by {overflow}px at 375px.");
            await session.ScreenshotAsync("phone-content-editor");
        }

        var violations = await AxeCheck.SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, "axe: " + string.Join(" | ", violations));
        session.AssertNoPageErrors();
    }
}
