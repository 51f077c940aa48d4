namespace Comms.Templates;

/// <summary>
/// What to preview: a saved template (templateId, optionally a version; "default:overdue" for a shipped
/// default) or an unsaved draft, with sample data, or with a real patron and the facts given in data.
/// </summary>
public sealed record PreviewRequest
{
    public string? TemplateId { get; init; }
    public int? Version { get; init; }
    public TemplateContent? Draft { get; init; }

    /// <summary>Whose model to use: required for drafts; for a saved template one of its usedBy (default: the first).</summary>
    public string? Scenario { get; init; }

    public string? PatronId { get; init; }

    /// <summary>Dates are formatted in this language; default the patron's, then the library's.</summary>
    public string? Language { get; init; }

    /// <summary>Loans, reservation, order… Sections left out use the scenario's sample facts.</summary>
    public TemplateData? Data { get; init; }

    /// <summary>A layout to try before saving it (the staff page's layout settings); default the library's saved one.</summary>
    public Layouts.LayoutRequest? Layout { get; init; }
}

public sealed record PreviewResult(string Scenario, string? TemplateId, int? Version, string Subject, string Html, string Text);

/// <summary>A preview before it becomes an answer: the rendered email keeps its redacted copy for logs.</summary>
public sealed record RenderedPreview(string Scenario, string? TemplateId, int? Version, Notices.RenderedEmail Email);
