using Comms.BrowserTests.Infrastructure;
using Comms.Tests.Infrastructure;
using Microsoft.Playwright;
using static Comms.Tests.Infrastructure.ApiClient;
using static Microsoft.Playwright.Assertions;

namespace Comms.BrowserTests;

/// <summary>
/// The SMS texts editor under Templates, with the keyboard alone at desktop and phone width: the shipped text's length,
/// a draft's encoding switching to UCS-2, a misspelt variable at the field, a variable from the picker, save, and back
/// to the shipped text; axe-core finds no serious or critical violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SmsTextEditorTests(EmulatorFixture emulators, BrowserFixture browser)
{
    [Theory]
    [InlineData(1280, 900)]
    [InlineData(375, 812)]
    public async Task SmsText_KeyboardOnly_ShowsLengthPointsAtMistakesSavesAndReverts(int width, int height)
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser, width, height);
        var page = session.Page;
        await session.OpenAndSignInToDashboardAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Templates" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "SMS texts" })).ToBeVisibleAsync();

        // The shipped recall text, measured by the server: GSM-7, one or two segments of at most six.
        await page.Locator("#sms-scenario").FocusAsync();
        await page.Locator("#sms-scenario").SelectOptionAsync("recall");
        await Expect(page.Locator("#sms-state")).ToContainTextAsync("The shipped text");
        await Expect(page.Locator("#sms-length")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("^GSM-7: \\d+ characters, [12] segments? of at most 6\\.$"));
        await Expect(page.Locator("#sms-revert")).ToBeDisabledAsync();

        // A draft with a character outside GSM-7: the whole text counts as UCS-2.
        await page.Locator("#sms-text").FocusAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("{{library.name}}: Żaneta says please return{{#items}} {{title}}{{/items}} by {{recall.newDueDate}}.");
        await Expect(page.Locator("#sms-length")).ToContainTextAsync("UCS-2");
        await Expect(page.Locator("#sms-preview")).ToContainTextAsync(": Żaneta says please return");

        // A misspelt variable: the server's message lands at the text field.
        await page.Keyboard.TypeAsync(" {{patron.nmae}}");
        await Expect(page.Locator("#err-text")).ToContainTextAsync("Unknown variable 'patron.nmae'");
        await Expect(page.Locator("#sms-text")).ToHaveAttributeAsync("aria-invalid", "true");
        for (var i = 0; i < " {{patron.nmae}}".Length; i++)
        {
            await page.Keyboard.PressAsync("Backspace");
        }

        await Expect(page.Locator("#err-text")).ToHaveCountAsync(0);
        await page.Keyboard.TypeAsync(" Reader: ");

        // A variable from the picker (each offered with its description), inserted at the cursor.
        await Expect(page.Locator("#sms-variable option[value='patron.name']")).ToHaveAccessibleNameAsync(new System.Text.RegularExpressions.Regex("^patron\\.name — "));
        await page.Locator("#sms-variable").SelectOptionAsync("patron.name");
        await page.Locator("#sms-insert-variable").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#sms-text")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\\{\\{recall\\.newDueDate\\}\\}\\. Reader: \\{\\{patron\\.name\\}\\}$"));
        await Expect(page.Locator("#sms-preview")).ToContainTextAsync("Alex Morgan");

        // Save: version 1, the library's own text; the API agrees.
        await page.GetByRole(AriaRole.Button, new() { Name = "Save SMS text" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#status")).ToContainTextAsync("saved as version 1");
        await Expect(page.Locator("#sms-state")).ToContainTextAsync("version 1");
        using (var saved = await session.Server.SendAsync(HttpMethod.Get, $"/api/libraries/{StaffPageSession.LibraryId}/sms/texts/recall", session.LibraryKey))
        {
            var json = await saved.JsonAsync();
            Assert.True(json["custom"]!.GetValue<bool>());
            Assert.EndsWith("{{patron.name}}", json["text"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        if (width > 400)
        {
            await page.Locator("#sms-texts").ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.File("docs", "images"), "staff-sms-texts.png") });
        }
        else
        {
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"The templates view scrolls sideways by {overflow}px at 375px.");
            await session.ScreenshotAsync("phone-sms-texts");
        }

        var violations = await AxeCheck.SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, "axe: " + string.Join(" | ", violations));

        // Back to the shipped text: the field shows it again and there is nothing left to revert.
        await page.GetByRole(AriaRole.Button, new() { Name = "Back to the shipped text" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#status")).ToContainTextAsync("shipped text again");
        await Expect(page.Locator("#sms-state")).ToContainTextAsync("The shipped text");
        await Expect(page.Locator("#sms-revert")).ToBeDisabledAsync();
        await Expect(page.Locator("#sms-length")).ToContainTextAsync("GSM-7");
        session.AssertNoPageErrors();
    }
}
