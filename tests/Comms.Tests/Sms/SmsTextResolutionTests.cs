using Comms.Libraries;
using Comms.Scenarios;
using Comms.Sms.Texts;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Sms;

/// <summary>Which SMS text the send path takes, against the real store on Azurite: the email templates' language rule.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class SmsTextResolutionTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task Resolve_ReaderLanguageThenItsBaseThenTheLibrarysThenShipped()
    {
        // Arrange: an en-GB library with its own recall text in French and in English, and none for overdue.
        await using var services = TestServices.Create(emulators);
        var libraryId = "smsl" + Guid.NewGuid().ToString("N")[..10];
        var library = await services.GetRequiredService<LibraryService>().CreateAsync(Samples.Library(libraryId));
        var texts = services.GetRequiredService<SmsTextService>();
        await texts.SaveAsync(libraryId, "recall", new SaveSmsTextRequest { Text = "FR {{library.name}}", Language = "fr" });
        await texts.SaveAsync(libraryId, "recall", new SaveSmsTextRequest { Text = "EN {{library.name}}" });
        await texts.SaveAsync(libraryId, "recall", new SaveSmsTextRequest { Text = "EN2 {{library.name}}" });
        var lib = library.Library;

        // Act
        var canadian = await texts.ResolveAsync(lib, new ScenarioKey(Scenario.Recall), "fr-CA");
        var german = await texts.ResolveAsync(lib, new ScenarioKey(Scenario.Recall), "de");
        var overdue = await texts.ResolveAsync(lib, new ScenarioKey(Scenario.Overdue), "fr");
        await texts.RevertAsync(libraryId, "recall", "fr");
        var afterRevert = await texts.ResolveAsync(lib, new ScenarioKey(Scenario.Recall), "fr");

        // Assert
        Assert.Equal(("sms:recall:fr", 1, "FR {{library.name}}"), (canadian.TemplateId, canadian.Version, canadian.Text));
        Assert.Equal(("sms:recall:en-GB", 2, "EN2 {{library.name}}"), (german.TemplateId, german.Version, german.Text));
        Assert.Equal(("sms-default:overdue", 0), (overdue.TemplateId, overdue.Version));
        Assert.Equal("sms:recall:en-GB", afterRevert.TemplateId);
    }
}
