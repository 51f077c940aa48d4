namespace Comms.Templates;

/// <summary>A library's template as listed: its settings and the number of its latest version.</summary>
public sealed record TemplateSummary
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required bool Active { get; init; }

    /// <summary>Scenario keys ("overdue", "escalation-2") this template is sent for when active.</summary>
    public required IReadOnlyList<string> UsedBy { get; init; }

    public required string Language { get; init; }
    public required int LatestVersion { get; init; }

    /// <summary>"default:overdue" or the id of the library template it was copied from.</summary>
    public required string CopiedFrom { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// One saved version: immutable once written. Holds the full text (never a reference to a default), so a
/// library's template does not change when the shipped defaults do.
/// </summary>
public sealed record TemplateVersion
{
    public required string TemplateId { get; init; }
    public required int Version { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string Name { get; init; }
    public required bool Active { get; init; }
    public required IReadOnlyList<string> UsedBy { get; init; }
    public required string Language { get; init; }
    public required TemplateContent Content { get; init; }

    /// <summary>Why this version exists: "copied from default:overdue", "rolled back to version 2", "edited".</summary>
    public required string Note { get; init; }
}

/// <summary>A template with the content of its latest version.</summary>
public sealed record TemplateDetails(TemplateSummary Template, TemplateContent Content);

/// <summary>One version as the version list shows it, without its text.</summary>
public sealed record TemplateVersionSummary(int Version, DateTimeOffset CreatedAt, string Name, bool Active, IReadOnlyList<string> UsedBy, string Language, string Note);
