using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Comms.DevHost;

/// <summary>One function of the app as the Functions host would see it: its name, trigger and entry point.</summary>
public sealed record FunctionEntry(string Name, Type Class, MethodInfo Method, string Trigger, ParameterInfo? TriggerParameter)
{
    public HttpTriggerAttribute? Http => TriggerParameter?.GetCustomAttribute<HttpTriggerAttribute>();

    public TimerTriggerAttribute? Timer => TriggerParameter?.GetCustomAttribute<TimerTriggerAttribute>();
}

/// <summary>
/// Reads the function app's own [Function] methods by reflection, so the dev host serves exactly the
/// functions the app declares, with no second list of routes or handlers to keep in step.
/// </summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<FunctionEntry> Discover(Assembly assembly) =>
        [.. assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<FunctionAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => Describe(x.Attribute!.Name, x.Method))
            .OrderBy(f => f.Name, StringComparer.Ordinal)];

    private static FunctionEntry Describe(string name, MethodInfo method)
    {
        foreach (var parameter in method.GetParameters())
        {
            var trigger = parameter.GetCustomAttributes()
                .FirstOrDefault(a => a.GetType().Name.EndsWith("TriggerAttribute", StringComparison.Ordinal));
            if (trigger is not null)
            {
                var kind = trigger.GetType().Name[..^"Attribute".Length];
                return new FunctionEntry(name, method.DeclaringType!, method, char.ToLowerInvariant(kind[0]) + kind[1..], parameter);
            }
        }

        return new FunctionEntry(name, method.DeclaringType!, method, "none", null);
    }
}
