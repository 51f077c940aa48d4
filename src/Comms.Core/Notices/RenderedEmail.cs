namespace Comms.Notices;

/// <summary>
/// What a template produces and a provider sends: a one-line subject, an HTML body whose values are
/// escaped, and a plain-text body.
/// </summary>
public sealed record RenderedEmail(string Subject, string Html, string Text)
{
    /// <summary>The content of a notice that is not sent (skipped, or failed before rendering).</summary>
    public static RenderedEmail Empty { get; } = new(string.Empty, string.Empty, string.Empty);
}
