using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Comms.Templates;

/// <summary>
/// Case-insensitive property getters per model type, compiled once. Templates say {{patron.name}} and the
/// model's properties are PascalCase; Stubble bridged the two by trying each registered value getter in turn
/// on every lookup, which was most of a render's cost. Only public instance properties are visible, which is
/// all the template models have (the validator accepts nothing else).
/// </summary>
internal static class ModelMembers
{
    private static readonly ConcurrentDictionary<Type, Dictionary<string, Func<object, object?>>> Getters = new();

    public static bool TryGet(object view, string name, out object? value)
    {
        var getters = Getters.GetOrAdd(view.GetType(), Build);
        if (getters.TryGetValue(name, out var getter))
        {
            value = getter(view);
            return true;
        }

        value = null;
        return false;
    }

    private static Dictionary<string, Func<object, object?>> Build(Type type)
    {
        var getters = new Dictionary<string, Func<object, object?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetMethod is null || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var view = Expression.Parameter(typeof(object), "view");
            var read = Expression.Convert(Expression.Property(Expression.Convert(view, type), property), typeof(object));
            getters.TryAdd(property.Name, Expression.Lambda<Func<object, object?>>(read, view).Compile());
        }

        return getters;
    }
}
