using Comms.Common;
using Comms.Libraries;

namespace Comms.Templates;

/// <summary>
/// A library's templates: copy, edit, version, roll back. Every change is validated in full before anything
/// is written, and every save appends an immutable version, so what was sent can always be traced.
/// </summary>
public sealed class TemplateService(TemplateStore store, LibraryStore libraries, TimeProvider clock)
{
    public const int MaxUsedBy = 20;

    public async Task<TemplateList> ListAsync(string libraryId, CancellationToken cancellationToken = default)
    {
        var templates = await store.ListAsync(libraryId, cancellationToken);
        return new TemplateList([.. templates.OrderBy(t => t.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(t => t.Id, StringComparer.Ordinal)]);
    }

    public async Task<TemplateDetails> GetAsync(string libraryId, string templateId, CancellationToken cancellationToken = default)
    {
        var (head, _) = await GetHeadAsync(libraryId, templateId, cancellationToken);
        return new TemplateDetails(head, (await GetVersionAsync(libraryId, templateId, head.LatestVersion, cancellationToken)).Content);
    }

    public async Task<TemplateVersion> GetVersionAsync(string libraryId, string templateId, int version, CancellationToken cancellationToken = default) =>
        await store.GetVersionAsync(libraryId, templateId, version, cancellationToken)
        ?? throw new NotFoundException($"Template '{templateId}' has no version {version}.");

    public async Task<TemplateVersionList> ListVersionsAsync(string libraryId, string templateId, CancellationToken cancellationToken = default)
    {
        await GetHeadAsync(libraryId, templateId, cancellationToken);
        var versions = await store.ListVersionsAsync(libraryId, templateId, cancellationToken);
        return new TemplateVersionList([.. versions.OrderByDescending(v => v.Version)
            .Select(v => new TemplateVersionSummary(v.Version, v.CreatedAt, v.Name, v.Active, v.UsedBy, v.Language, v.Note))]);
    }

    public async Task<TemplateDetails> CreateAsync(string libraryId, CreateTemplateRequest request, CancellationToken cancellationToken = default)
    {
        var library = await GetLibraryAsync(libraryId, cancellationToken);
        var (content, usedBy, language, copiedFrom) = await SourceAsync(library, request, cancellationToken);
        var settings = new TemplateSettings(request.Name, request.Active, request.UsedBy ?? usedBy, request.Language ?? language);
        content = await ValidateAsync(library, null, settings, content, cancellationToken);

        var now = clock.GetUtcNow();
        var head = new TemplateSummary
        {
            Id = Guid.NewGuid().ToString("N")[..16],
            Name = settings.Name,
            Active = settings.Active,
            UsedBy = settings.UsedBy,
            Language = settings.Language,
            LatestVersion = 1,
            CopiedFrom = copiedFrom,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (!await store.TryCreateAsync(libraryId, head, Version(head, content, $"Copied from {copiedFrom}."), cancellationToken))
        {
            throw new ConflictException("A template with this id was created at the same moment; try again.");
        }

        return new TemplateDetails(head, content);
    }

    public async Task<TemplateDetails> UpdateAsync(string libraryId, string templateId, UpdateTemplateRequest request, CancellationToken cancellationToken = default)
    {
        var settings = new TemplateSettings(request.Name, request.Active, request.UsedBy, request.Language);
        return await SaveAsync(libraryId, templateId, settings, _ => request.Content, "Edited.", cancellationToken);
    }

    /// <summary>
    /// Appends a version with an old version's subject, HTML and text. Name, active, usedBy and language are
    /// settings, not content, and stay as they are; the old text is validated against them again.
    /// </summary>
    public async Task<TemplateDetails> RollbackAsync(string libraryId, string templateId, int version, CancellationToken cancellationToken = default)
    {
        var (head, _) = await GetHeadAsync(libraryId, templateId, cancellationToken);
        var old = await store.GetVersionAsync(libraryId, templateId, version, cancellationToken)
            ?? throw RequestValidationException.For("version", $"Template '{templateId}' has no version {version}.");
        var settings = new TemplateSettings(head.Name, head.Active, head.UsedBy, head.Language);
        return await SaveAsync(libraryId, templateId, settings, _ => old.Content, $"Rolled back to version {version}.", cancellationToken);
    }

    private async Task<TemplateDetails> SaveAsync(
        string libraryId,
        string templateId,
        TemplateSettings settings,
        Func<TemplateSummary, TemplateContent> contentOf,
        string note,
        CancellationToken cancellationToken)
    {
        var library = await GetLibraryAsync(libraryId, cancellationToken);
        var (current, etag) = await GetHeadAsync(libraryId, templateId, cancellationToken);
        var content = await ValidateAsync(library, templateId, settings, contentOf(current), cancellationToken);

        var head = current with
        {
            Name = settings.Name,
            Active = settings.Active,
            UsedBy = settings.UsedBy,
            Language = settings.Language,
            LatestVersion = current.LatestVersion + 1,
            UpdatedAt = clock.GetUtcNow(),
        };
        if (!await store.TryAppendAsync(libraryId, head, etag, Version(head, content, note), cancellationToken))
        {
            throw new ConflictException($"Template '{templateId}' was changed by someone else; load it again and reapply your change.");
        }

        return new TemplateDetails(head, content);
    }

    private async Task<(TemplateContent Content, IReadOnlyList<string> UsedBy, string Language, string CopiedFrom)> SourceAsync(
        Library library, CreateTemplateRequest request, CancellationToken cancellationToken)
    {
        if (request.CopyFrom.StartsWith(DefaultTemplates.IdPrefix, StringComparison.Ordinal))
        {
            var keyText = request.CopyFrom[DefaultTemplates.IdPrefix.Length..];
            if (!TemplateKey.TryParse(keyText, out var key))
            {
                throw RequestValidationException.For("copyFrom", $"'{keyText}' is not a scenario; GET /api/scenarios lists them (for example 'default:overdue' or 'default:overdue:class').");
            }

            return (DefaultTemplates.For(key), [key.ToString()], library.DefaultLanguage, DefaultTemplates.IdFor(key));
        }

        var source = await store.GetAsync(library.Id, request.CopyFrom, cancellationToken)
            ?? throw RequestValidationException.For("copyFrom", "Use 'default:{scenario}' or the id of one of this library's templates.");
        var version = await GetVersionAsync(library.Id, request.CopyFrom, source.Summary.LatestVersion, cancellationToken);
        return (version.Content, source.Summary.UsedBy, source.Summary.Language, request.CopyFrom);
    }

    /// <summary>Checks everything and gives back the content as it is stored (content mode's bodies made from its source).</summary>
    private async Task<TemplateContent> ValidateAsync(Library library, string? templateId, TemplateSettings settings, TemplateContent content, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        Text.Required(settings.Name, "name", 200, errors);
        Language.Validate(settings.Language, "language", errors);
        var keys = UsedByValidator.Parse(settings.UsedBy, library, errors);
        errors.ThrowIfAny();

        content = ContentMode.PrepareAndValidate(content, [.. keys.Select(k => k.Scenario)], errors);
        errors.ThrowIfAny("The template is not valid; nothing was saved.");

        if (settings.Active)
        {
            var others = await store.ListAsync(library.Id, cancellationToken);
            var clash = others.FirstOrDefault(t => t.Active && t.Id != templateId
                && string.Equals(t.Language, settings.Language, StringComparison.OrdinalIgnoreCase)
                && t.UsedBy.Intersect(settings.UsedBy, StringComparer.Ordinal).Any());
            if (clash is not null)
            {
                var shared = string.Join(", ", clash.UsedBy.Intersect(settings.UsedBy, StringComparer.Ordinal));
                throw new ConflictException($"Template '{clash.Name}' ({clash.Id}) is already active for {shared} in '{clash.Language}'. Deactivate it first.");
            }
        }

        return content;
    }

    private async Task<(TemplateSummary Summary, Azure.ETag ETag)> GetHeadAsync(string libraryId, string templateId, CancellationToken cancellationToken) =>
        await store.GetAsync(libraryId, templateId, cancellationToken)
        ?? throw new NotFoundException($"Template '{templateId}' was not found.");

    private async Task<Library> GetLibraryAsync(string libraryId, CancellationToken cancellationToken) =>
        await libraries.GetAsync(libraryId, cancellationToken) ?? throw new NotFoundException($"Library '{libraryId}' was not found.");

    private TemplateVersion Version(TemplateSummary head, TemplateContent content, string note) => new()
    {
        TemplateId = head.Id,
        Version = head.LatestVersion,
        CreatedAt = clock.GetUtcNow(),
        Name = head.Name,
        Active = head.Active,
        UsedBy = head.UsedBy,
        Language = head.Language,
        Content = content,
        Note = note,
    };

    private sealed record TemplateSettings(string Name, bool Active, IReadOnlyList<string> UsedBy, string Language);
}
