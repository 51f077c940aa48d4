namespace Comms.Notices;

/// <summary>
/// What a template produces and a provider sends: a one-line subject, an HTML body whose values are
/// escaped, and a plain-text body.
/// </summary>
public sealed record RenderedEmail(string Subject, string Html, string Text)
{
    /// <summary>
    /// The subject and text with every secret of the model (<see cref="Templates.SecretAttribute"/>) shown as
    /// "[hidden]"; null when the email holds none. Set by the renderer.
    /// </summary>
    public RedactedEmail? Redacted { get; init; }

    /// <summary>What a log row, a preview or any stored record may keep: never a secret.</summary>
    public RedactedEmail ForLog => Redacted ?? new RedactedEmail(Subject, Text, Html);

    /// <summary>The content of a notice that is not sent (skipped, or failed before rendering).</summary>
    public static RenderedEmail Empty { get; } = new(string.Empty, string.Empty, string.Empty);
}

/// <summary>The parts of an email a log or a stored copy keeps, secrets hidden (the HTML only for the stored copy, docs/message-copies.md).</summary>
public sealed record RedactedEmail(string Subject, string Text, string Html = "");
