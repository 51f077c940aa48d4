namespace Comms.Templates;

/// <summary>
/// The three Mustache sources of one template version. In content mode (<see cref="Mode"/> "content") staff write
/// <see cref="Source"/> and the server makes <see cref="Html"/> from it, and <see cref="Text"/> too unless
/// <see cref="TextEdited"/> (<see cref="ContentMode"/>); both are stored, so sending never converts anything.
/// </summary>
public sealed record TemplateContent
{
    public required string Subject { get; init; }
    public string Html { get; init; } = string.Empty;
    public string Text { get; init; } = string.Empty;

    /// <summary>"html" (the HTML body is written by hand; also every version saved before modes existed) or "content".</summary>
    public string? Mode { get; init; }

    /// <summary>Content mode: the formatted text with Mustache variables (<see cref="ContentMarkup"/>).</summary>
    public string? Source { get; init; }

    /// <summary>Content mode: the plain-text body was written by hand; otherwise it is made from the source on every save.</summary>
    public bool TextEdited { get; init; }
}

/// <summary>Which part of a template; each has its own escaping rule.</summary>
public enum TemplatePart
{
    Subject,
    Html,
    Text,
}
