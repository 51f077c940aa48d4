namespace Comms.Templates;

/// <summary>The three Mustache sources of one template version.</summary>
public sealed record TemplateContent
{
    public required string Subject { get; init; }
    public required string Html { get; init; }
    public required string Text { get; init; }
}

/// <summary>Which part of a template; each has its own escaping rule.</summary>
public enum TemplatePart
{
    Subject,
    Html,
    Text,
}
