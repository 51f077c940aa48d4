using System.Collections.Concurrent;
using Comms.Contacts;
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

    private static readonly ConcurrentDictionary<string, TemplateContent> Loaded = new(StringComparer.Ordinal);

    public static TemplateContent For(Scenario scenario) => Loaded.GetOrAdd(ScenarioKey.Kebab(scenario), Load);

    /// <summary>
    /// A contact shape's default is shared by the ladder steps (Defaults/contact-{shape}.*): it words each step
    /// with {{#step.overdue}}… and says which level with {{step.level}}.
    /// </summary>
    public static TemplateContent For(TemplateKey key) =>
        key.Shape is { } shape ? Loaded.GetOrAdd("contact-" + ContactShapes.Name(shape), Load) : For(key.Scenario.Scenario);

    public static string IdFor(ScenarioKey key) => IdPrefix + key;

    public static string IdFor(TemplateKey key) => IdPrefix + key;

    private static TemplateContent Load(string name)
    {
        return new TemplateContent
        {
            Subject = Read($"{name}.subject.mustache").Trim(),
            Html = Read($"{name}.html.mustache"),
            Text = Read($"{name}.txt.mustache"),
            Mode = ContentMode.Html,
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
