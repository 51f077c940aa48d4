using System.Text.Json.Nodes;
using Comms.BrowserTests.Infrastructure;
using Comms.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Comms.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class SettingsTests(EmulatorFixture emulators, BrowserFixture browser)
{
    [Fact]
    public async Task Settings_InvalidEscalationShowsMessageNextToField_ThenValidSaveIsStored()
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser);
        var page = session.Page;
        await session.OpenAndSignInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Scenario settings" }).ClickAsync();
        await Expect(page.GetByLabel("Level 3: days after due")).ToHaveValueAsync("28");

        // Level 2 before level 1: the server's message for timing.escalationDaysAfterDue[1] sits under level 2.
        await page.GetByLabel("Level 2: days after due").FillAsync("5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        var error = page.Locator("#err-timing-escalationDaysAfterDue-1-");
        await Expect(error).ToContainTextAsync("Level 2 (5 days) must come after level 1 (7 days).");
        await Expect(page.GetByLabel("Level 2: days after due")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("Level 2: days after due")).ToBeFocusedAsync();
        await Expect(page.Locator("#status")).ToContainTextAsync("not saved");
        await session.ScreenshotAsync("settings-validation-error");

        // An enabled scenario with no role is refused next to its roles.
        var recall = page.Locator("fieldset.scenario[data-scenario='recall']");
        var checkedRoles = recall.Locator(".roles input:checked");
        while (await checkedRoles.CountAsync() > 0)
        {
            await checkedRoles.First.UncheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(recall.Locator(".field-error")).ToContainTextAsync("at least one contact role");
        await recall.GetByLabel("Parent", new() { Exact = true }).CheckAsync();

        // A valid edit: fix level 2, add a fourth level, a closed date, disable loan receipts, exclude a group.
        await page.GetByLabel("Level 2: days after due").FillAsync("10");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add level" }).ClickAsync();
        await Expect(page.GetByLabel("Level 4: days after due")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("42");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add closed date" }).ClickAsync();
        await page.GetByLabel("Closed date 1", new() { Exact = true }).FillAsync("2026-12-25");
        await page.GetByLabel("Send time").FillAsync("08:15");
        await page.Locator("fieldset.scenario[data-scenario='loanReceipt']").GetByLabel("Enabled").UncheckAsync();
        await page.Locator("fieldset.scenario[data-scenario='overdue']").GetByLabel("Excluded patron groups").FillAsync("Staff, Year 13");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Settings saved.");
        await Expect(page.Locator(".field-error")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("settings-saved");

        using var response = await session.Server.SendAsync(HttpMethod.Get, $"/api/libraries/{StaffPageSession.LibraryId}", session.LibraryKey);
        var library = await response.JsonAsync();
        Assert.Equal("[7,10,28,42]", library["timing"]!["escalationDaysAfterDue"]!.ToJsonString());
        Assert.Equal("[\"2026-12-25\"]", library["closedDates"]!.ToJsonString());
        Assert.Equal("08:15:00", library["sendTime"]!.GetValue<string>());
        Assert.False(library["scenarios"]!["loanReceipt"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("[\"Staff\",\"Year 13\"]", library["scenarios"]!["overdue"]!["excludedPatronGroups"]!.ToJsonString());
        Assert.Equal("[\"parent\"]", library["scenarios"]!["recall"]!["roles"]!.ToJsonString());
        Assert.IsType<JsonObject>(library["timing"]);
        session.AssertNoPageErrors();
    }

    [Fact]
    public async Task Settings_WiderCatalogue_EveryNewScenarioHasItsFieldset_DeclaredLostDaysAndCurrencyAreSaved()
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser);
        var page = session.Page;
        await session.OpenAndSignInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Scenario settings" }).ClickAsync();
        foreach (var (name, title) in new[]
        {
            ("declaredLost", "Declared lost"), ("lostItemReturned", "Lost item returned"), ("paymentReceived", "Payment received"),
            ("autoRenewal", "Automatic renewals"), ("checkInReceipt", "Check-in receipt"), ("dueDateShortened", "Due date shortened"), ("welcome", "Welcome"), ("cardExpiring", "Card expiring"),
        })
        {
            await Expect(page.Locator($"fieldset.scenario[data-scenario='{name}'] > legend")).ToHaveTextAsync(title);
        }

        // The declared-lost step must come after the last escalation level (28 days by default).
        await page.GetByLabel("Declared lost: days after due").FillAsync("20");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.Locator("#err-timing-declaredLostDaysAfterDue")).ToContainTextAsync("more than 28 days");
        await Expect(page.GetByLabel("Declared lost: days after due")).ToHaveAttributeAsync("aria-invalid", "true");

        await page.GetByLabel("Declared lost: days after due").FillAsync("42");
        await page.GetByLabel("Currency of charges").FillAsync("eur");
        await page.GetByLabel("Card expiring: days before the card expires").FillAsync("14");
        await page.Locator("fieldset.scenario[data-scenario='autoRenewal']").GetByLabel("Enabled").UncheckAsync();
        await page.Locator("fieldset.scenario[data-scenario='declaredLost']").GetByLabel("Excluded patron groups").FillAsync("Staff");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Settings saved.");

        using var response = await session.Server.SendAsync(HttpMethod.Get, $"/api/libraries/{StaffPageSession.LibraryId}", session.LibraryKey);
        var library = await response.JsonAsync();
        Assert.Equal(42, library["timing"]!["declaredLostDaysAfterDue"]!.GetValue<int>());
        Assert.Equal("EUR", library["currency"]!.GetValue<string>());
        Assert.Equal(14, library["timing"]!["cardExpiryDaysBefore"]!.GetValue<int>());
        Assert.False(library["scenarios"]!["autoRenewal"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("[\"Staff\"]", library["scenarios"]!["declaredLost"]!["excludedPatronGroups"]!.ToJsonString());
        session.AssertNoPageErrors();
    }

    [Fact]
    public async Task Settings_TeachersAndHeadOfSchool_SavedPerLadderStepAndOtherSettingsKept()
    {
        await using var session = await StaffPageSession.StartAsync(emulators, browser);
        var page = session.Page;
        await session.OpenAndSignInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Scenario settings" }).ClickAsync();
        var escalation = page.Locator("fieldset.scenario[data-scenario='escalation']");
        await Expect(escalation.GetByLabel("Class list from escalation level")).ToHaveValueAsync("0");

        await escalation.GetByLabel("Teacher", new() { Exact = true }).CheckAsync();
        await escalation.GetByLabel("Head of school", new() { Exact = true }).CheckAsync();
        await escalation.GetByLabel("Class list from escalation level").FillAsync("two");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(escalation.Locator(".field-error")).ToContainTextAsync("Enter a level from 0 to 10.");

        await escalation.GetByLabel("Class list from escalation level").FillAsync("2");
        await escalation.GetByLabel("Head of school: one summary a week").CheckAsync();
        await escalation.GetByLabel("Weekly summary day").SelectOptionAsync("friday");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Settings saved.");

        using var response = await session.Server.SendAsync(HttpMethod.Get, $"/api/libraries/{StaffPageSession.LibraryId}", session.LibraryKey);
        var digests = (await response.JsonAsync())["scenarios"]!["escalation"]!["contactDigests"]!;
        Assert.Equal(2, digests["classListFromLevel"]!.GetValue<int>());
        Assert.True(digests["summaryWeekly"]!.GetValue<bool>());
        Assert.Equal("friday", digests["summaryWeekday"]!.GetValue<string>());
        session.AssertNoPageErrors();
    }
}
