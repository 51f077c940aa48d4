namespace Comms.Templates;

/// <summary>The views a render is inside: the model, then one per open section or list element.</summary>
internal sealed class ViewStack
{
    private object?[] _views = new object?[8];

    public ViewStack(object model) => Push(model);

    public int Count { get; private set; }

    public object? this[int index] => _views[index];

    public object? Current => _views[Count - 1];

    public void Push(object? view)
    {
        if (Count == _views.Length)
        {
            Array.Resize(ref _views, Count * 2);
        }

        _views[Count++] = view;
    }

    public void Pop() => _views[--Count] = null;
}
