using Comms.Contacts;
using Comms.Scenarios;

namespace Comms.Templates;

/// <summary>One catalogue entry as GET /api/scenarios shows it.</summary>
public sealed record ScenarioInfo(
    string Key,
    string Feature,
    string Title,
    string Description,
    IReadOnlyList<string> Variables,
    TemplateModel SampleData,
    string DefaultTemplateId)
{
    /// <summary>
    /// The ladder steps' defaults for shared contacts, by shape ("household", "class", "summary"): the template
    /// ids to copy or preview, as "default:overdue:class". Empty for the other scenarios.
    /// </summary>
    public IReadOnlyDictionary<string, string> ContactTemplateIds { get; init; } = new Dictionary<string, string>();

    /// <summary>A short plain-English description of each of <see cref="Variables"/>, by path ("items[].title").</summary>
    public IReadOnlyDictionary<string, string> VariableDescriptions { get; init; } = new Dictionary<string, string>();

    /// <summary>Escalation is listed once as "escalation-{level}"; its sample is level 1.</summary>
    public static IReadOnlyList<ScenarioInfo> All(DateTimeOffset now) =>
        [.. ScenarioCatalogue.All.Select(d =>
        {
            var key = new ScenarioKey(d.Scenario, d.Scenario == Scenario.Escalation ? 1 : 0);
            var name = d.Scenario == Scenario.Escalation ? ScenarioKey.Kebab(d.Scenario) + "-{level}" : key.ToString();
            return new ScenarioInfo(
                name,
                ScenarioFeatures.FeatureOf(d.Scenario),
                d.Title,
                d.Description,
                [.. d.Variables.Paths()],
                SampleReaders.Model(key, now),
                DefaultTemplates.IdPrefix + name)
            {
                VariableDescriptions = d.Variables.DescribedPaths().ToDictionary(p => p.Path, p => p.Description ?? string.Empty, StringComparer.Ordinal),
                ContactTemplateIds = TemplateKey.HasShapes(d.Scenario)
                    ? Enum.GetValues<ContactShape>().ToDictionary(ContactShapes.Name, shape => $"{DefaultTemplates.IdPrefix}{name}:{ContactShapes.Name(shape)}")
                    : new Dictionary<string, string>(),
            };
        })];
}
