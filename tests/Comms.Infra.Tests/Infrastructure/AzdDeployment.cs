using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Comms.Infra.Tests.Infrastructure;

/// <summary>
/// What `azd up` would hand the function app, worked out offline: azd fills infra/main.parameters.json from
/// its environment (${NAME} or ${NAME=default}), ARM evaluates main.bicep's compiled template with those
/// parameters, passes the api module its parameters, and the module sets the app settings. Values only Azure
/// knows (resource outputs) are <see cref="ArmUnknown"/>; a fail() in the template throws
/// <see cref="ArmFailException"/> with the message azd would print.
/// </summary>
public static partial class AzdDeployment
{
    /// <summary>The azd environment every case starts from: what `azd init` and `azd env set` give a new user.</summary>
    public static Dictionary<string, string> NewEnvironment() => new(StringComparer.Ordinal)
    {
        ["AZURE_ENV_NAME"] = "libcomms",
        ["AZURE_LOCATION"] = "westeurope",
        ["AZURE_PRINCIPAL_ID"] = "00000000-0000-0000-0000-000000000001",
        ["PLATFORM_ADMIN_KEY"] = "an-admin-key-of-at-least-16",
        ["OUTBOX_PROTECTION_KEY"] = "an-outbox-protection-key-of-at-least-32-chars",
        ["UNSUBSCRIBE_LINK_KEY"] = "an-unsubscribe-link-key-of-at-least-32-chars",
    };

    /// <summary>Main template parameters as azd passes them: unset azd variables without a default are left out.</summary>
    public static Dictionary<string, object?> Parameters(JsonObject template, IReadOnlyDictionary<string, string> environment)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.File("infra", "main.parameters.json")));
        var declared = template["parameters"] as JsonObject ?? [];
        var parameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in file.RootElement.GetProperty("parameters").EnumerateObject())
        {
            var text = Substitute(entry.Value.GetProperty("value").GetString() ?? string.Empty, environment);
            var type = (string?)declared[entry.Name]?["type"] ?? "string";
            if (text.Length == 0 && type != "string" && type != "securestring")
            {
                continue;
            }

            parameters[entry.Name] = type switch
            {
                "bool" => bool.Parse(text),
                "int" => long.Parse(text, CultureInfo.InvariantCulture),
                _ => text,
            };
        }

        return parameters;
    }

    /// <summary>The function app's settings after `azd up` with this environment.</summary>
    public static IReadOnlyDictionary<string, object?> AppSettings(JsonObject template, IReadOnlyDictionary<string, string> environment)
    {
        var main = Context(template, Parameters(template, environment));
        var apiModule = ArmTemplate.AllResources(template)
            .Single(resource => resource.Type == "Microsoft.Resources/deployments" && resource.Name == "api");
        var moduleParameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in apiModule.Properties["parameters"] as JsonObject ?? [])
        {
            // Bicep writes either { "value": ... } or an expression that builds that object (conditional values).
            var evaluated = main.Evaluate(Plain(value));
            moduleParameters[name] = evaluated is Dictionary<string, object?> wrapper ? wrapper["value"] : evaluated;
        }

        var nested = (JsonObject)apiModule.Properties["template"]!;
        var api = Context(nested, moduleParameters);
        var settings = ArmTemplate.AllResources(nested)
            .Single(resource => resource.Type == "Microsoft.Web/sites/config" && resource.Name.Contains("appsettings", StringComparison.OrdinalIgnoreCase));
        return ((Dictionary<string, object?>)api.Evaluate(Plain(settings.Resource["properties"]))!)
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
    }

    private static ArmExpression Context(JsonObject template, IReadOnlyDictionary<string, object?> given)
    {
        var declared = template["parameters"] as JsonObject ?? [];
        var variables = template["variables"] as JsonObject ?? [];
        var cache = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        ArmExpression? expression = null;
        expression = new ArmExpression(
            parameter: name =>
            {
                if (given.TryGetValue(name, out var value))
                {
                    return value;
                }

                var declaration = declared[name] ?? throw new KeyNotFoundException($"No parameter '{name}'.");
                return declaration["defaultValue"] is { } fallback
                    ? expression!.Evaluate(Plain(fallback))
                    : throw new InvalidOperationException($"Parameter '{name}' has no value and no default: the deployment would stop.");
            },
            variable: name =>
            {
                if (!cache.TryGetValue(name, out var value))
                {
                    value = expression!.Evaluate(Plain(variables[name] ?? throw new KeyNotFoundException($"No variable '{name}'.")));
                    cache[name] = value;
                }

                return value;
            });
        return expression;
    }

    private static string Substitute(string value, IReadOnlyDictionary<string, string> environment) =>
        AzdVariable().Replace(value, match =>
            environment.TryGetValue(match.Groups["name"].Value, out var set) && set.Length > 0
                ? set
                : match.Groups["default"].Value);

    /// <summary>JSON to the evaluator's plain values.</summary>
    public static object? Plain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject map => map.ToDictionary(pair => pair.Key, pair => Plain(pair.Value), StringComparer.OrdinalIgnoreCase),
        JsonArray list => list.Select(Plain).ToList(),
        JsonValue scalar when scalar.TryGetValue<string>(out var text) => text,
        JsonValue scalar when scalar.TryGetValue<bool>(out var flag) => flag,
        JsonValue scalar => scalar.GetValue<long>(),
        _ => throw new InvalidOperationException(),
    };

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(=(?<default>[^}]*))?\}")]
    private static partial Regex AzdVariable();
}
