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

    /// <summary>Values written as <see cref="ModelSecrets.Mask"/> in <see cref="Redacted"/>; null when nothing is hidden.</summary>
    public IReadOnlySet<string>? Hidden { get; } = hidden;

    /// <summary>
    /// The redacted copy, written in the same pass as <see cref="Output"/>: the same text, with each hidden value as
    /// <see cref="ModelSecrets.Mask"/>. Null when nothing is hidden.
    /// </summary>
    public PooledText? Redacted { get; } = hidden is null ? null : new PooledText(capacity);

    /// <summary>Template text, or a value both copies show: the budget is charged once.</summary>
    public void Write(string? text)
    {
        Budget.Spend(text?.Length ?? 0);
        Output.Append(text);
        Redacted?.Append(text);
    }

    /// <summary>A value the redacted copy shows as <paramref name="redacted"/>.</summary>
    public void Write(string? shown, string? redacted)
    {
        Budget.Spend(shown?.Length ?? 0);
        Output.Append(shown);
        Redacted?.Append(redacted);
    }

    public void Dispose()
    {
        Output.Dispose();
        Redacted?.Dispose();
    }
}
