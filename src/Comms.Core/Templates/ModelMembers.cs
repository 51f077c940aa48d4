using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Comms.Templates;

/// <summary>
/// Case-insensitive property getters per model type, compiled once. Templates say {{patron.name}} and the
/// model's properties are PascalCase; Stubble bridged the two by trying each registered value getter in turn
/// on every lookup, which was most of a render's cost. Only public instance properties are visible, which is
/// all the template models have (the validator accepts nothing else). Renders do not come here per value:
/// each name in a <see cref="RenderPlan"/> keeps the getters it found (<see cref="MemberSite"/>).
/// </summary>
internal static class ModelMembers
{
    private static readonly ConcurrentDictionary<Type, Dictionary<string, Func<object, object?>>> Getters = new();

    /// <summary>The getter of <paramref name="type"/>'s property called <paramref name="name"/> in any case, or null if it has none.</summary>
    public static Func<object, object?>? Find(Type type, string name) =>
        Getters.GetOrAdd(type, Build).GetValueOrDefault(name);

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
