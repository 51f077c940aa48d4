using System.Text.Json.Nodes;

namespace Comms.Infra.Tests.Infrastructure;

/// <summary>A resource found anywhere in a compiled template, with the (nested) template that declares it.</summary>
public sealed record ArmResource(JsonObject Resource, JsonObject DeclaringTemplate)
{
    public string Type => (string?)Resource["type"] ?? string.Empty;

    public string Name => (string?)Resource["name"] ?? string.Empty;

    public JsonObject Properties => Resource["properties"] as JsonObject ?? [];

    /// <summary>
    /// A value that may be an ARM expression reading one of the template's variables, e.g.
    /// "[subscriptionResourceId('...', variables('x'))]", resolved to the variable's literal value.
    /// </summary>
    public string ResolveVariableReference(string? expression)
    {
        if (expression is null)
        {
            return string.Empty;
        }

        const string marker = "variables('";
        var start = expression.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return expression;
        }

        start += marker.Length;
        var end = expression.IndexOf('\'', start);
        var variable = expression[start..end];
        return (string?)DeclaringTemplate["variables"]?[variable] ?? expression;
    }
}

/// <summary>
/// Walks a compiled ARM template. Bicep modules compile to nested Microsoft.Resources/deployments whose
/// properties.template is a whole template, so the walk recurses into them.
/// </summary>
public static class ArmTemplate
{
    public static IEnumerable<ArmResource> AllResources(JsonObject template)
    {
        // Templates with symbolic names (languageVersion 2.0) hold resources in an object, not an array.
        IEnumerable<JsonNode?> resources = template["resources"] switch
        {
            JsonArray array => array,
            JsonObject map => map.Select(pair => pair.Value),
            _ => [],
        };

        foreach (var resource in resources.OfType<JsonObject>())
        {
            yield return new ArmResource(resource, template);
            if (resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in AllResources(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    public static IReadOnlyList<ArmResource> OfType(JsonObject template, string type) =>
        AllResources(template)
            .Where(resource => string.Equals(resource.Type, type, StringComparison.OrdinalIgnoreCase))
            .ToList();

    public static ArmResource Single(JsonObject template, string type)
    {
        var matches = OfType(template, type);
        Assert.True(matches.Count == 1, $"Expected one {type}, found {matches.Count}.");
        return matches[0];
    }
}
