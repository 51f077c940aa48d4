namespace Comms.Templates;

/// <summary>
/// One render of one part: where it writes, the views it is inside, whether values are HTML-encoded, and the
/// email's <see cref="RenderBudget"/>, charged for every step and every character written.
/// </summary>
internal sealed class RenderContext(object model, bool htmlEncode, int capacity, RenderBudget budget, IReadOnlySet<string>? hidden = null) : IDisposable
{
    public ViewStack Views { get; } = new(model);

    public PooledText Output { get; } = new(capacity);

    public bool HtmlEncode { get; } = htmlEncode;

    public RenderBudget Budget { get; } = budget;

    /// <summary>Values written as <see cref="ModelSecrets.Mask"/> (the redacted copy of an email); null to show every value.</summary>
    public IReadOnlySet<string>? Hidden { get; } = hidden;

    public void Write(string? text)
    {
        Budget.Spend(text?.Length ?? 0);
        Output.Append(text);
    }

    public void Dispose() => Output.Dispose();
}
