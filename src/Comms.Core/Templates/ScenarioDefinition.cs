using Comms.Scenarios;

namespace Comms.Templates;

/// <summary>One scenario as template authors see it: what it is for, what its model holds, and believable sample facts.</summary>
public sealed record ScenarioDefinition(
    Scenario Scenario,
    string Title,
    string Description,
    ModelSections Sections,
    Func<DateTimeOffset, TemplateData> SampleData)
{
    /// <summary>The variables a template for this scenario may use, derived from <see cref="TemplateModel"/>.</summary>
    public VariableNode Variables { get; } = VariableNode.ForModel(Sections);
}
