using Comms.Common;
using Comms.Libraries;
using Comms.Scenarios;
using Comms.Templates;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Templates;

[Collection(EmulatorCollection.Name)]
public sealed class TemplateServiceTests(EmulatorFixture emulators)
{
    private static readonly string[] OverdueOnly = ["overdue"];

    [Fact]
    public async Task CreateAsync_FromDefault_StoresTheFullTextAsVersionOne()
    {
        await using var services = TestServices.Create(emulators);
        await services.GetRequiredService<LibraryService>().CreateAsync(Samples.Library("lib"));
        var templates = services.GetRequiredService<TemplateService>();

        var created = await templates.CreateAsync("lib", new CreateTemplateRequest { CopyFrom = "default:overdue", Name = "Overdue (ours)" });
        var version = await templates.GetVersionAsync("lib", created.Template.Id, 1);

        Assert.Equal(1, created.Template.LatestVersion);
        Assert.Equal(OverdueOnly, created.Template.UsedBy);
        Assert.Equal("en-GB", created.Template.Language);
        Assert.False(created.Template.Active);
        Assert.Equal("default:overdue", created.Template.CopiedFrom);
        Assert.Equal(DefaultTemplates.For(Scenario.Overdue), version.Content);
    }

    [Fact]
    public async Task UpdateAndRollback_EachCreateANewImmutableVersion()
    {
        await using var services = TestServices.Create(emulators);
        await services.GetRequiredService<LibraryService>().CreateAsync(Samples.Library("lib"));
        var templates = services.GetRequiredService<TemplateService>();
        var created = await templates.CreateAsync("lib", new CreateTemplateRequest { CopyFrom = "default:overdue", Name = "Overdue" });
        var id = created.Template.Id;

        await templates.UpdateAsync("lib", id, Update("Edited subject for {{patron.name}}"));
        var rolledBack = await templates.RollbackAsync("lib", id, 1);
        var versions = await templates.ListVersionsAsync("lib", id);

        Assert.Equal(3, rolledBack.Template.LatestVersion);
        Assert.Equal(created.Content, rolledBack.Content);
        Assert.Equal([3, 2, 1], versions.Items.Select(v => v.Version));
        Assert.Equal("Rolled back to version 1.", versions.Items[0].Note);
        Assert.Equal("Edited subject for {{patron.name}}", (await templates.GetVersionAsync("lib", id, 2)).Content.Subject);
        Assert.True((await templates.GetAsync("lib", id)).Template.Active);
    }

    [Fact]
    public async Task UpdateAsync_InvalidTemplate_SavesNothing()
    {
        await using var services = TestServices.Create(emulators);
        await services.GetRequiredService<LibraryService>().CreateAsync(Samples.Library("lib"));
        var templates = services.GetRequiredService<TemplateService>();
        var created = await templates.CreateAsync("lib", new CreateTemplateRequest { CopyFrom = "default:overdue", Name = "Overdue" });

        var error = await Assert.ThrowsAsync<RequestValidationException>(() =>
            templates.UpdateAsync("lib", created.Template.Id, Update("Hi {{patron.nmae}}") with { Html = "{{{patron.name}}}" }));

        Assert.Contains("subject", error.Errors.Keys);
        Assert.Contains("html", error.Errors.Keys);
        Assert.Single((await templates.ListVersionsAsync("lib", created.Template.Id)).Items);
        var head = (await templates.GetAsync("lib", created.Template.Id)).Template;
        Assert.Equal((1, created.Template.UpdatedAt), (head.LatestVersion, head.UpdatedAt));
    }

    [Fact]
    public async Task UpdateAsync_BodiesNearTheSizeLimit_RoundTripAcrossTableProperties()
    {
        await using var services = TestServices.Create(emulators);
        await services.GetRequiredService<LibraryService>().CreateAsync(Samples.Library("lib"));
        var templates = services.GetRequiredService<TemplateService>();
        var created = await templates.CreateAsync("lib", new CreateTemplateRequest { CopyFrom = "default:overdue", Name = "Overdue" });
        var html = "<p>{{patron.name}}</p>" + new string('h', 65_000);
        var text = "{{patron.name}}" + new string('t', 65_000);

        await templates.UpdateAsync("lib", created.Template.Id, Update("Big") with { Html = html, Text = text });
        var stored = await templates.GetAsync("lib", created.Template.Id);

        Assert.Equal(html, stored.Content.Html);
        Assert.Equal(text, stored.Content.Text);
    }

    [Fact]
    public async Task CreateAsync_SecondActiveTemplateForTheSameScenarioAndLanguage_Conflicts()
    {
        await using var services = TestServices.Create(emulators);
        await services.GetRequiredService<LibraryService>().CreateAsync(Samples.Library("lib"));
        var templates = services.GetRequiredService<TemplateService>();
        await templates.CreateAsync("lib", new CreateTemplateRequest { CopyFrom = "default:overdue", Name = "First", Active = true });

        await Assert.ThrowsAsync<ConflictException>(() =>
            templates.CreateAsync("lib", new CreateTemplateRequest { CopyFrom = "default:overdue", Name = "Second", Active = true }));
        var welsh = await templates.CreateAsync("lib", new CreateTemplateRequest { CopyFrom = "default:overdue", Name = "Cymraeg", Language = "cy", Active = true });

        Assert.Equal(2, (await templates.ListAsync("lib")).Items.Count);
        Assert.True(welsh.Template.Active);
    }

    [Fact]
    public async Task CreateAsync_CopyOfALibraryTemplate_TakesItsLatestTextAndScenarios()
    {
        await using var services = TestServices.Create(emulators);
        await services.GetRequiredService<LibraryService>().CreateAsync(Samples.Library("lib"));
        var templates = services.GetRequiredService<TemplateService>();
        var source = await templates.CreateAsync("lib", new CreateTemplateRequest { CopyFrom = "default:escalation-2", Name = "Second reminder" });
        await templates.UpdateAsync("lib", source.Template.Id, Update("Reminder {{escalation.level}}") with { UsedBy = ["escalation-2", "escalation-3"], Active = false });

        var copy = await templates.CreateAsync("lib", new CreateTemplateRequest { CopyFrom = source.Template.Id, Name = "Copy", Language = "fr" });

        Assert.Equal(["escalation-2", "escalation-3"], copy.Template.UsedBy);
        Assert.Equal("Reminder {{escalation.level}}", copy.Content.Subject);
        Assert.Equal(source.Template.Id, copy.Template.CopiedFrom);
    }

    [Fact]
    public async Task CreateAsync_EscalationLevelTheLibraryDoesNotHave_IsRejected()
    {
        await using var services = TestServices.Create(emulators);
        await services.GetRequiredService<LibraryService>().CreateAsync(Samples.Library("lib"));
        var templates = services.GetRequiredService<TemplateService>();

        var error = await Assert.ThrowsAsync<RequestValidationException>(() =>
            templates.CreateAsync("lib", new CreateTemplateRequest { CopyFrom = "default:escalation-4", Name = "Level 4" }));

        Assert.Contains("usedBy[0]", error.Errors.Keys);
        Assert.Empty((await templates.ListAsync("lib")).Items);
    }

    [Fact]
    public async Task ResolveAsync_FallsBackFromReaderLanguageToLibraryLanguageToShippedDefault()
    {
        await using var services = TestServices.Create(emulators);
        await services.GetRequiredService<LibraryService>().CreateAsync(Samples.Library("lib"));
        var templates = services.GetRequiredService<TemplateService>();
        var resolver = services.GetRequiredService<ITemplateResolver>();
        var overdue = new ScenarioKey(Scenario.Overdue);
        var libraryTemplate = await templates.CreateAsync("lib", new CreateTemplateRequest { CopyFrom = "default:overdue", Name = "English", Active = true });
        var welsh = await templates.CreateAsync("lib", new CreateTemplateRequest { CopyFrom = "default:overdue", Name = "Welsh", Language = "cy", Active = true });
        await templates.CreateAsync("lib", new CreateTemplateRequest { CopyFrom = "default:overdue", Name = "French draft", Language = "fr" });

        var forWelshReader = await resolver.ResolveAsync("lib", overdue, "cy-GB");
        var forFrenchReader = await resolver.ResolveAsync("lib", overdue, "fr");
        var forReservation = await resolver.ResolveAsync("lib", new ScenarioKey(Scenario.ReservationReady), "cy");

        Assert.Equal((welsh.Template.Id, 1), (forWelshReader.TemplateId, forWelshReader.Version));
        Assert.Equal(libraryTemplate.Template.Id, forFrenchReader.TemplateId);
        Assert.Equal(("default:reservation-ready", 0), (forReservation.TemplateId, forReservation.Version));
        Assert.Equal(DefaultTemplates.For(Scenario.ReservationReady), forReservation.Content);
    }

    private static UpdateTemplateRequest Update(string subject)
    {
        var content = DefaultTemplates.For(Scenario.Overdue);
        return new UpdateTemplateRequest
        {
            Name = "Overdue",
            Active = true,
            UsedBy = OverdueOnly,
            Language = "en-GB",
            Subject = subject,
            Html = content.Html,
            Text = content.Text,
        };
    }
}
