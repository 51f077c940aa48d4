using System.Text.Json;
using System.Text.Json.Nodes;

namespace Comms.Infra.Tests.Infrastructure;

/// <summary>App settings as the template sets them and as local development declares them.</summary>
public static class FunctionAppSettings
{
    /// <summary>
    /// Settings of the function app in the compiled template, name to (possibly expression) value. Both ARM
    /// shapes are read: a sites/config 'appsettings' resource and siteConfig.appSettings on the site.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FromTemplate(JsonObject template)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var config in ArmTemplate.OfType(template, "Microsoft.Web/sites/config")
                     .Where(resource => resource.Name.Contains("appsettings", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var (name, value) in config.Properties)
            {
                settings[name] = ValueText(value);
            }
        }

        foreach (var site in ArmTemplate.OfType(template, "Microsoft.Web/sites"))
        {
            if (site.Properties["siteConfig"]?["appSettings"] is JsonArray pairs)
            {
                foreach (var pair in pairs.OfType<JsonObject>())
                {
                    settings[(string?)pair["name"] ?? string.Empty] = ValueText(pair["value"]);
                }
            }
        }

        return settings;
    }

    /// <summary>Keys of Values in local.settings.sample.json, read now: others add settings as features land.</summary>
    public static IReadOnlySet<string> SampleKeys()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.File("local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject()
            .Select(property => property.Name)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static string ValueText(JsonNode? value) =>
        value is JsonValue scalar && scalar.TryGetValue<string>(out var text) ? text : value?.ToJsonString() ?? string.Empty;
}
