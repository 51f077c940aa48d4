using Comms.Scenarios;
using Comms.Templates;

namespace Comms.Tests.Templates;

public sealed class ScenarioCatalogueTests
{
    [Fact]
    public void All_CoversEveryScenario()
    {
        Assert.Equal(Enum.GetValues<Scenario>().Order(), ScenarioCatalogue.All.Select(d => d.Scenario).Order());
    }

    [Fact]
    public void Variables_Overdue_AreDerivedFromTheModelSectionsItUses()
    {
        var paths = ScenarioCatalogue.Get(Scenario.Overdue).Variables.Paths().ToList();

        Assert.Contains("library.name", paths);
        Assert.Contains("library.fromAddress", paths);
        Assert.Contains("patron.group", paths);
        Assert.Contains("recipient.role", paths);
        Assert.Contains("items[].dueDate", paths);
        Assert.Contains("items[].daysOverdue", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("order", StringComparison.Ordinal) || p.StartsWith("reset", StringComparison.Ordinal));
    }

    [Fact]
    public void Variables_SupplierOrder_HaveOrderLinesButNoPatron()
    {
        var paths = ScenarioCatalogue.Get(Scenario.SupplierOrder).Variables.Paths().ToList();

        Assert.Contains("order.lines[].isbn", paths);
        Assert.Contains("order.total", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("patron", StringComparison.Ordinal));
    }

    [Fact]
    public void Info_All_ListsEscalationOnceWithALevelPlaceholder()
    {
        var info = ScenarioInfo.All(TemplateTestData.Now);

        Assert.Equal(Enum.GetValues<Scenario>().Length, info.Count);
        Assert.Contains(info, i => i.Key == "escalation-{level}" && i.SampleData.Escalation!.Level == "1");
    }

    [Fact]
    public void Variables_EveryScenario_EachHasADescription()
    {
        // A new model property, section or scenario fails here until VariableDescriptions describes it.
        var missing = ScenarioCatalogue.All
            .SelectMany(d => d.Variables.DescribedPaths().Where(p => string.IsNullOrWhiteSpace(p.Description)).Select(p => $"{d.Scenario}: {p.Path}"))
            .ToList();

        Assert.True(missing.Count == 0, "Variables without a description: " + string.Join(", ", missing));
    }

    [Fact]
    public void Info_All_DescribesEachListedVariableIncludingListElementsAndDigestShapes()
    {
        var overdue = ScenarioInfo.All(TemplateTestData.Now).Single(i => i.Key == "overdue");

        Assert.Equal(overdue.Variables.Order(StringComparer.Ordinal), overdue.VariableDescriptions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("The name of the person this email goes to.", overdue.VariableDescriptions["recipient.name"]);
        Assert.Equal("The item's title.", overdue.VariableDescriptions["patrons[].items[].title"]);
        Assert.StartsWith("True in a teacher's class list", overdue.VariableDescriptions["digest.classList"], StringComparison.Ordinal);
    }
}
