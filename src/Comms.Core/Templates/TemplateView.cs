using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace Comms.Templates;

/// <summary>
/// Turns a model into the dictionaries Stubble looks names up in, keyed by the camelCase names
/// <see cref="VariableNode"/> validates against. Null sections are left out, so {{#reservation}} is false.
/// </summary>
internal static class TemplateView
{
    private static readonly ConcurrentDictionary<Type, (string Name, PropertyInfo Property)[]> Properties = new();

    public static Dictionary<string, object> From(object model)
    {
        var properties = Properties.GetOrAdd(model.GetType(), t =>
            [.. t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => (VariableNode.NameOf(p), p))]);
        var view = new Dictionary<string, object>(properties.Length, StringComparer.Ordinal);
        foreach (var (name, property) in properties)
        {
            if (Convert(property.GetValue(model)) is { } value)
            {
                view[name] = value;
            }
        }

        return view;
    }

    private static object? Convert(object? value) => value switch
    {
        null => null,
        string text => text,
        IEnumerable list => list.Cast<object>().Select(Convert).OfType<object>().ToList(),
        _ => From(value),
    };
}
