namespace Comms.Templates;

/// <summary>
/// A name as a template writes it, split once: "." (the current view), a plain name, or a dotted name.
/// Lookup is Stubble's: a name is tried on each view from the innermost outwards; a dotted name stops at the
/// first view holding its first part and then only goes inwards, so a missing later part is null rather than
/// a reason to keep looking outwards.
/// </summary>
internal sealed class MemberPath
{
    private readonly bool _isCurrentView;
    private readonly MemberSite _head;
    private readonly MemberSite[] _tail;

    private MemberPath(string name)
    {
        _isCurrentView = name == ".";

        // Stubble splits only at a dot after the first character: ".x" is one (odd) name, as it was there.
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var parts = dot > 0 ? name.Split('.') : [name];
        _head = new MemberSite(parts[0]);
        _tail = parts[1..].Select(part => new MemberSite(part)).ToArray();
    }

    public static MemberPath Parse(string name) => new(name);

    public object? Lookup(ViewStack views)
    {
        if (_isCurrentView)
        {
            return views.Current;
        }

        for (var i = views.Count - 1; i >= 0; i--)
        {
            if (views[i] is not { } view || _head.Get(view) is not { } current)
            {
                continue;
            }

            foreach (var part in _tail)
            {
                current = part.Get(current);
                if (current is null)
                {
                    return null;
                }
            }

            return current;
        }

        return null;
    }
}
