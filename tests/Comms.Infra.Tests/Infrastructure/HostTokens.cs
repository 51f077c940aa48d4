using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Comms.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace Comms.Infra.Tests.Infrastructure;

/// <summary>What a value is used for, which decides what makes it valid.</summary>
public enum HostValueKind
{
    TaskHubName,
    TimerSchedule,
    QueueName,
    Connection,
    Text,
}

/// <summary>A value the Functions host reads from host.json or a binding attribute, possibly holding %setting% tokens.</summary>
public sealed record HostValue(string Where, string Value, HostValueKind Kind);

/// <summary>
/// Every value the Functions host resolves with %name% tokens, and the resolution itself as the host does it:
/// INameResolver looks the name up, exactly as written, in a configuration built from environment variables,
/// where an app setting "A__B" has already become the key "A:B".
/// </summary>
public static partial class HostTokens
{
    public static IReadOnlyList<HostValue> All() => [.. FromHostJson(), .. FromBindings()];

    /// <summary>Every string in host.json that names a setting, with what the host uses it for.</summary>
    public static IEnumerable<HostValue> FromHostJson()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.File("host.json")));
        var found = new List<HostValue>();
        Walk(document.RootElement, "host.json", found);
        return found;
    }

    /// <summary>Every string property of every trigger and binding attribute on the app's [Function] methods.</summary>
    public static IEnumerable<HostValue> FromBindings()
    {
        var methods = typeof(FunctionAppServiceCollectionExtensions).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance))
            .Where(method => method.GetCustomAttribute<FunctionAttribute>() is not null);
        foreach (var method in methods)
        {
            var function = method.GetCustomAttribute<FunctionAttribute>()!.Name;
            var attributes = method.GetParameters().SelectMany(parameter => parameter.GetCustomAttributes())
                .Concat(method.GetCustomAttributes())
                .Where(attribute => attribute.GetType().Namespace?.StartsWith("Microsoft.Azure.Functions.Worker", StringComparison.Ordinal) == true)
                .Where(attribute => attribute is not FunctionAttribute);
            foreach (var attribute in attributes)
            {
                foreach (var property in attribute.GetType().GetProperties().Where(p => p.PropertyType == typeof(string)))
                {
                    if (property.GetValue(attribute) is string value && value.Length > 0)
                    {
                        var where = $"{function} [{attribute.GetType().Name}].{property.Name}";
                        yield return new HostValue(where, value, KindOf(attribute, property.Name));
                    }
                }
            }
        }
    }

    /// <summary>Resolves %name% tokens as the host's DefaultNameResolver does; unknown names are reported.</summary>
    public static (string Resolved, IReadOnlyList<string> Missing) Resolve(string value, IConfiguration configuration)
    {
        var missing = new List<string>();
        var resolved = Token().Replace(value, match =>
        {
            var name = match.Groups[1].Value;
            var setting = configuration[name];
            if (setting is null)
            {
                missing.Add(name);
                return match.Value;
            }

            return setting;
        });
        return (resolved, missing);
    }

    /// <summary>
    /// Settings as the host sees them: each one an environment variable (as App Service and `func start` set
    /// them), read back by the same configuration provider, so "__" becomes ":" exactly as in the host.
    /// </summary>
    public static IConfiguration FromEnvironmentVariables(IReadOnlyDictionary<string, string> settings)
    {
        var prefix = $"COMMS_HOST_TOKENS_{Guid.NewGuid():N}_";
        foreach (var (name, value) in settings)
        {
            Environment.SetEnvironmentVariable(prefix + name, value);
        }

        try
        {
            // Build() reads the variables now; the provider keeps the values it loaded.
            return new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
        }
        finally
        {
            foreach (var name in settings.Keys)
            {
                Environment.SetEnvironmentVariable(prefix + name, null);
            }
        }
    }

    private static HostValueKind KindOf(Attribute attribute, string property) => (attribute, property) switch
    {
        (_, "Connection") => HostValueKind.Connection,
        (TimerTriggerAttribute, nameof(TimerTriggerAttribute.Schedule)) => HostValueKind.TimerSchedule,
        (QueueTriggerAttribute, nameof(QueueTriggerAttribute.QueueName)) => HostValueKind.QueueName,
        _ => HostValueKind.Text,
    };

    private static void Walk(JsonElement element, string path, List<HostValue> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, $"{path}.{property.Name}", found);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{index++}]", found);
                }

                break;
            case JsonValueKind.String:
                var value = element.GetString()!;
                var isHubName = path.EndsWith(".durableTask.hubName", StringComparison.OrdinalIgnoreCase);
                if (isHubName || Token().IsMatch(value))
                {
                    found.Add(new HostValue(path, value, isHubName ? HostValueKind.TaskHubName : HostValueKind.Text));
                }

                break;
        }
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Token();
}
