using System.Collections.Concurrent;
using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Scenarios;

namespace Comms.Templates;

/// <summary>The template a notice is rendered with, and which version, so the email log can say exactly what was sent.</summary>
public sealed record ResolvedTemplate(string TemplateId, int Version, string Language, TemplateContent Content);

public interface ITemplateResolver
{
    /// <summary>
    /// The library's active template for <paramref name="key"/> in the reader's language, else in the
    /// library's default language, else the shipped English default (version 0).
    /// </summary>
    Task<ResolvedTemplate> ResolveAsync(string libraryId, ScenarioKey key, string? language, CancellationToken cancellationToken = default);

    /// <summary>
    /// The template of a shared contact's email (<paramref name="key"/> names the shape): the library's active
    /// template for that shape; else, for a household or class email about one patron, the step's own template (the
    /// library's or the shipped one: what that contact got before emails were per contact); else the shipped
    /// default for the shape.
    /// </summary>
    Task<ResolvedTemplate> ResolveForContactAsync(string libraryId, TemplateKey key, string? language, bool onePatron, CancellationToken cancellationToken = default);

    /// <summary>A template staff chose by id ("default:{scenario}" or a saved one), at its latest version.</summary>
    Task<ResolvedTemplate> ResolveChosenAsync(string libraryId, string templateId, ScenarioKey key, CancellationToken cancellationToken = default);
}

/// <summary>
/// Resolving lists all of the library's templates, so answers are kept for
/// <see cref="LibraryStore.SendPathCacheTime"/>: a morning burst resolves the same few templates thousands of
/// times. A save through this process invalidates at once (the store's generation); a save on another
/// instance is picked up within that time, as a save just before a send would be anyway.
/// </summary>
public sealed class TemplateResolver(TemplateStore store, LibraryStore libraries) : ITemplateResolver
{
    private readonly ConcurrentDictionary<(string Library, string Scenario, string Language), (ResolvedTemplate? Template, long Generation, long ExpiresAt)> _recent = new();

    public async Task<ResolvedTemplate> ResolveAsync(string libraryId, ScenarioKey key, string? language, CancellationToken cancellationToken = default) =>
        await LibraryTemplateAsync(libraryId, key.ToString(), language, cancellationToken)
        ?? new ResolvedTemplate(DefaultTemplates.IdFor(key), 0, DefaultTemplates.Language, DefaultTemplates.For(key.Scenario));

    public async Task<ResolvedTemplate> ResolveForContactAsync(string libraryId, TemplateKey key, string? language, bool onePatron, CancellationToken cancellationToken = default)
    {
        if (await LibraryTemplateAsync(libraryId, key.ToString(), language, cancellationToken) is { } forShape)
        {
            return forShape;
        }

        // About one patron, a parent or teacher reads what they read before contacts got one email per step. A
        // summary stays a summary: it lists names only at the top of the ladder.
        return onePatron && key.Shape != ContactShape.Summary
            ? await ResolveAsync(libraryId, key.Scenario, language, cancellationToken)
            : new ResolvedTemplate(DefaultTemplates.IdFor(key), 0, DefaultTemplates.Language, DefaultTemplates.For(key));
    }

    /// <summary>The library's own active template used by <paramref name="usedBy"/>, or null when it has none.</summary>
    private async Task<ResolvedTemplate?> LibraryTemplateAsync(string libraryId, string usedBy, string? language, CancellationToken cancellationToken)
    {
        var cacheKey = (libraryId, usedBy, language ?? string.Empty);
        var generation = store.Generation(libraryId);
        if (_recent.TryGetValue(cacheKey, out var hit) && hit.Generation == generation && Environment.TickCount64 < hit.ExpiresAt)
        {
            return hit.Template;
        }

        var resolved = await ResolveFreshAsync(libraryId, usedBy, language, cancellationToken);
        _recent[cacheKey] = (resolved, generation, Environment.TickCount64 + (long)LibraryStore.SendPathCacheTime.TotalMilliseconds);
        return resolved;
    }

    private async Task<ResolvedTemplate?> ResolveFreshAsync(string libraryId, string scenario, string? language, CancellationToken cancellationToken)
    {
        var library = await libraries.GetForSendingAsync(libraryId, cancellationToken)
            ?? throw new NotFoundException($"Library '{libraryId}' was not found.");
        var candidates = (await store.ListAsync(libraryId, cancellationToken))
            .Where(t => t.Active && t.UsedBy.Contains(scenario, StringComparer.Ordinal))
            .ToList();

        foreach (var wanted in LanguagesToTry(language, library.DefaultLanguage))
        {
            // Saving refuses two active templates for one scenario and language; newest wins if one slipped through.
            var match = candidates
                .Where(t => string.Equals(t.Language, wanted, StringComparison.OrdinalIgnoreCase))
                .MaxBy(t => t.UpdatedAt);
            if (match is not null
                && await store.GetVersionAsync(libraryId, match.Id, match.LatestVersion, cancellationToken) is { } version)
            {
                return new ResolvedTemplate(match.Id, version.Version, match.Language, version.Content);
            }
        }

        return null;
    }

    public async Task<ResolvedTemplate> ResolveChosenAsync(string libraryId, string templateId, ScenarioKey key, CancellationToken cancellationToken = default)
    {
        if (templateId == DefaultTemplates.IdFor(key))
        {
            return new ResolvedTemplate(templateId, 0, DefaultTemplates.Language, DefaultTemplates.For(key.Scenario));
        }

        var head = await store.GetAsync(libraryId, templateId, cancellationToken)
            ?? throw new NotFoundException($"Template '{templateId}' was not found.");
        var version = await store.GetVersionAsync(libraryId, templateId, head.Summary.LatestVersion, cancellationToken)
            ?? throw new NotFoundException($"Template '{templateId}' has no version {head.Summary.LatestVersion}.");
        return new ResolvedTemplate(templateId, version.Version, head.Summary.Language, version.Content);
    }

    /// <summary>"fr-CA", then "fr", then the library's "en-GB", then "en": a regional reader still gets the language's template.</summary>
    internal static IEnumerable<string> LanguagesToTry(string? reader, string libraryDefault)
    {
        var tags = new List<string>();
        foreach (var tag in new[] { reader, libraryDefault })
        {
            if (Language.IsKnown(tag))
            {
                tags.Add(tag!);
                var dash = tag!.IndexOf('-', StringComparison.Ordinal);
                if (dash > 0)
                {
                    tags.Add(tag[..dash]);
                }
            }
        }

        return tags.Distinct(StringComparer.OrdinalIgnoreCase);
    }
}
