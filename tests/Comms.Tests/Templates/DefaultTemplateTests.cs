using Comms.Common;
using Comms.Scenarios;
using Comms.Templates;

namespace Comms.Tests.Templates;

public sealed class DefaultTemplateTests
{
    private readonly TemplateRenderer _renderer = new();

    [Theory]
    [MemberData(nameof(TemplateTestData.AllScenarioKeys), MemberType = typeof(TemplateTestData))]
    public void Default_ForEveryScenario_IsValidAgainstItsModel(string scenario)
    {
        var key = TemplateTestData.Key(scenario);
        var errors = new ValidationErrors();

        TemplateValidator.Validate(DefaultTemplates.For(key.Scenario), [key], errors);

        Assert.True(errors.IsEmpty, string.Join("\n", errors.ToDictionary().SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))));
    }

    [Theory]
    [MemberData(nameof(TemplateTestData.AllScenarioKeys), MemberType = typeof(TemplateTestData))]
    public void Default_ForEveryScenario_RendersFromSampleDataCompletely(string scenario)
    {
        var key = TemplateTestData.Key(scenario);
        var model = SampleReaders.Model(key, TemplateTestData.Now);

        var email = _renderer.Render(DefaultTemplates.For(key.Scenario), model);

        Assert.False(string.IsNullOrWhiteSpace(email.Subject));
        Assert.DoesNotContain('\n', email.Subject);
        foreach (var part in new[] { email.Subject, email.Html, email.Text })
        {
            Assert.DoesNotContain("{{", part, StringComparison.Ordinal);
            Assert.DoesNotContain("}}", part, StringComparison.Ordinal);
        }

        Assert.Contains("Riverside Library", email.Text, StringComparison.Ordinal);
        Assert.Contains(model.Recipient!.Name, email.Html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", email.Html, StringComparison.Ordinal);
        if (model.Items is not null || model.Reservation is not null || model.Order is not null)
        {
            Assert.Contains("<table", email.Html, StringComparison.Ordinal);
            Assert.Contains("<th scope=", email.Html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("<img", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", email.Html, StringComparison.OrdinalIgnoreCase);
        foreach (var item in model.Items ?? [])
        {
            Assert.Contains(item.Title, email.Html, StringComparison.Ordinal);
            Assert.Contains(item.DueDate, email.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Default_Escalation_SaysWhichLevel()
    {
        var key = new ScenarioKey(Scenario.Escalation, 2);

        var email = _renderer.Render(DefaultTemplates.For(Scenario.Escalation), SampleReaders.Model(key, TemplateTestData.Now));

        Assert.StartsWith("Reminder 2:", email.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_SupplierOrder_ShowsLinesAndTotal()
    {
        var key = new ScenarioKey(Scenario.SupplierOrder);

        var email = _renderer.Render(DefaultTemplates.For(key.Scenario), SampleReaders.Model(key, TemplateTestData.Now));

        Assert.Contains("9780747544593", email.Html, StringComparison.Ordinal);
        Assert.Contains("22.97", email.Html, StringComparison.Ordinal);
        Assert.Contains("Total: 22.97 GBP", email.Text, StringComparison.Ordinal);
        Assert.Contains("Dear Northern Books Ltd,", email.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pre-overdue")]
    [InlineData("overdue")]
    [InlineData("escalation-1")]
    [InlineData("recall")]
    [InlineData("loan-receipt")]
    [InlineData("current-loans-report")]
    public void Default_ItemWithoutBarcode_PlainTextLeavesOutTheBarcodeClause(string scenario)
    {
        var key = TemplateTestData.Key(scenario);
        var model = SampleReaders.Model(key, TemplateTestData.Now);
        model = model with { Items = [.. model.Items!.Select(i => i with { Barcode = string.Empty })] };

        var email = _renderer.Render(DefaultTemplates.For(key.Scenario), model);

        Assert.DoesNotContain("barcode", email.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"{model.Items![0].Title} by {model.Items[0].Author}, ", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_RecallReasonWithoutAFullStop_StandsOnItsOwnLine()
    {
        var key = new ScenarioKey(Scenario.Recall);
        var model = SampleReaders.Model(key, TemplateTestData.Now);
        model = model with { Recall = model.Recall! with { Reason = "Needed for a course" } };

        var email = _renderer.Render(DefaultTemplates.For(key.Scenario), model);

        Assert.Contains("Why: Needed for a course\n\nPlease return", email.Text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Why: Needed for a course</p>", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("course Please", email.Text, StringComparison.Ordinal);
    }
}
