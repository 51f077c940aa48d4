using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace Comms.Templates;

/// <summary>Finds the values a model marks <see cref="SecretAttribute"/>, at any depth, lists included.</summary>
public static class ModelSecrets
{
    /// <summary>What a secret shows as in the redacted copy.</summary>
    public const string Mask = "[hidden]";

    private static readonly ConcurrentDictionary<Type, Member[]> Members = new();

    /// <summary>The non-empty secret texts in <paramref name="model"/>; empty for most scenarios.</summary>
    public static IReadOnlySet<string> Of(object model)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        Collect(model, found, depth: 0);
        return found;
    }

    private static void Collect(object? value, HashSet<string> found, int depth)
    {
        // Models are a few levels of records and lists; the bound only guards against a cycle.
        if (value is null or string || depth > 8)
        {
            return;
        }

        if (value is IEnumerable list)
        {
            foreach (var element in list)
            {
                Collect(element, found, depth + 1);
            }

            return;
        }

        foreach (var member in Members.GetOrAdd(value.GetType(), MembersOf))
        {
            var inner = member.Property.GetValue(value);
            if (member.Secret)
            {
                if (inner is string { Length: > 0 } text)
                {
                    found.Add(text);
                }
            }
            else
            {
                Collect(inner, found, depth + 1);
            }
        }
    }

    /// <summary>Secret properties, and the properties that may hold model records (not strings, not primitives).</summary>
    private static Member[] MembersOf(Type type) =>
        type.Namespace != typeof(TemplateModel).Namespace
            ? []
            : [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
                .Select(p => new Member(p, p.GetCustomAttribute<SecretAttribute>() is not null))
                .Where(m => m.Secret || !(m.Property.PropertyType == typeof(string) || m.Property.PropertyType.IsValueType))];

    private sealed record Member(PropertyInfo Property, bool Secret);
}
