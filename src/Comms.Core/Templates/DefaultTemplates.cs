using System.Collections.Concurrent;
using Comms.Scenarios;

namespace Comms.Templates;

/// <summary>
/// The English templates shipped with the app, embedded as Defaults/{scenario}.{subject|html|txt}.mustache.
/// Escalation has one default for every level; it says which level with {{escalation.level}}.
/// </summary>
public static class DefaultTemplates
{
    /// <summary>The language the shipped defaults are written in.</summary>
    public const string Language = "en";

    /// <summary>Template ids of defaults as the resolver and copy requests name them: "default:overdue".</summary>
    public const string IdPrefix = "default:";

    private static readonly ConcurrentDictionary<Scenario, TemplateContent> Loaded = new();

    public static TemplateContent For(Scenario scenario) => Loaded.GetOrAdd(scenario, Load);

    public static string IdFor(ScenarioKey key) => IdPrefix + key;

    private static TemplateContent Load(Scenario scenario)
    {
        var name = ScenarioKey.Kebab(scenario);
        return new TemplateContent
        {
            Subject = Read($"{name}.subject.mustache").Trim(),
            Html = Read($"{name}.html.mustache"),
            Text = Read($"{name}.txt.mustache"),
        };
    }

    private static string Read(string file)
    {
        var resource = $"Comms.Templates.Defaults.{file}";
        using var stream = typeof(DefaultTemplates).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The default template resource '{resource}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
