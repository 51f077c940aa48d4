namespace Comms.Notices;

/// <summary>
/// What a template produces and a provider sends: a one-line subject, an HTML body whose values are
/// escaped, and a plain-text body.
/// </summary>
public sealed record RenderedEmail(string Subject, string Html, string Text);
