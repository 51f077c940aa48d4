namespace Comms.Templates;

/// <summary>Copies a shipped default ("default:overdue") or another template of the same library.</summary>
public sealed record CreateTemplateRequest
{
    public required string CopyFrom { get; init; }
    public required string Name { get; init; }

    /// <summary>Defaults to the library's default language for a shipped default, or the source's language.</summary>
    public string? Language { get; init; }

    /// <summary>Defaults to the scenario of the default, or the source's scenarios.</summary>
    public IReadOnlyList<string>? UsedBy { get; init; }

    /// <summary>New copies are inactive unless asked, so a half-edited copy never goes out.</summary>
    public bool Active { get; init; }
}

/// <summary>The whole template as it should be; saving it creates the next version.</summary>
public sealed record UpdateTemplateRequest
{
    public required string Name { get; init; }
    public required bool Active { get; init; }
    public required IReadOnlyList<string> UsedBy { get; init; }
    public required string Language { get; init; }
    public required string Subject { get; init; }

    /// <summary>Required in HTML mode; ignored in content mode (made from <see cref="Source"/>).</summary>
    public string Html { get; init; } = string.Empty;

    /// <summary>Required in HTML mode; in content mode only with <see cref="TextEdited"/>.</summary>
    public string Text { get; init; } = string.Empty;

    public string? Mode { get; init; }
    public string? Source { get; init; }
    public bool TextEdited { get; init; }

    public TemplateContent Content => new() { Subject = Subject, Html = Html, Text = Text, Mode = Mode, Source = Source, TextEdited = TextEdited };
}

public sealed record RollbackRequest
{
    public required int Version { get; init; }
}

public sealed record TemplateList(IReadOnlyList<TemplateSummary> Items);

public sealed record TemplateVersionList(IReadOnlyList<TemplateVersionSummary> Items);
