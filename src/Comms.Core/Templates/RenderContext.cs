namespace Comms.Templates;

/// <summary>One render of one part: where it writes, the views it is inside, and whether values are HTML-encoded.</summary>
internal sealed class RenderContext(object model, bool htmlEncode, int capacity) : IDisposable
{
    public ViewStack Views { get; } = new(model);

    public PooledText Output { get; } = new(capacity);

    public bool HtmlEncode { get; } = htmlEncode;

    public void Dispose() => Output.Dispose();
}
