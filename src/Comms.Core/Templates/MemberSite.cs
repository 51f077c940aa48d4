namespace Comms.Templates;

/// <summary>
/// One name part of a template ("patron" or "name" in {{patron.name}}) with the getter it resolved to for
/// each view type it has met, "none" included. A render then costs a type comparison per view instead of a
/// dictionary lookup by type and a case-insensitive one by name. The entries are an immutable array swapped
/// whole, so renders on many threads read it without locks; a lost race only means a later miss adds it.
/// </summary>
internal sealed class MemberSite(string name)
{
    /// <summary>Types kept per name; one name meets only a few (an item, the model, a bool section). Beyond, lookups still work, uncached.</summary>
    private const int MaxTypes = 8;

    private Entry[] _entries = [];

    public string Name { get; } = name;

    /// <summary>The member's value on <paramref name="view"/>, or null when it is null or the view has no such member.</summary>
    public object? Get(object view)
    {
        var type = view.GetType();
        foreach (var entry in Volatile.Read(ref _entries))
        {
            if (ReferenceEquals(entry.Type, type))
            {
                return entry.Getter?.Invoke(view);
            }
        }

        return Resolve(type)?.Invoke(view);
    }

    private Func<object, object?>? Resolve(Type type)
    {
        var getter = GetterFor(type);
        var seen = Volatile.Read(ref _entries);
        if (seen.Length < MaxTypes)
        {
            Interlocked.CompareExchange(ref _entries, [.. seen, new Entry(type, getter)], seen);
        }

        return getter;
    }

    /// <summary>A string-keyed dictionary is looked up by key (with its own comparer), anything else by property.</summary>
    private Func<object, object?>? GetterFor(Type type) =>
        typeof(IDictionary<string, object?>).IsAssignableFrom(type)
            ? view => ((IDictionary<string, object?>)view).TryGetValue(Name, out var value) ? value : null
            : ModelMembers.Find(type, Name);

    /// <summary>A null getter caches "this type has no such member".</summary>
    private readonly record struct Entry(Type Type, Func<object, object?>? Getter);
}
