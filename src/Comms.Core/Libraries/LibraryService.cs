using Comms.Common;
using Comms.Security;

namespace Comms.Libraries;

/// <summary>Creates, changes and removes libraries; access checks happen before any of these are called.</summary>
public sealed class LibraryService(
    LibraryStore libraries,
    LibraryKeyStore keys,
    LibraryDataPurge purge,
    TimeProvider clock)
{
    /// <summary>Creates the library and returns its API key, which is shown only this once.</summary>
    public async Task<(Library Library, string ApiKey)> CreateAsync(Library library, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        LibraryValidator.Validate(library, errors);
        errors.ThrowIfAny();

        if (!await libraries.TryCreateAsync(library, cancellationToken))
        {
            throw new ConflictException($"A library with id '{library.Id}' already exists.");
        }

        var key = await keys.IssueAsync(library.Id, clock.GetUtcNow(), cancellationToken);
        return (library, key);
    }

    public async Task<Library> GetAsync(string libraryId, CancellationToken cancellationToken = default) =>
        await libraries.GetAsync(libraryId, cancellationToken) ?? throw new NotFoundException($"Library '{libraryId}' was not found.");

    public async Task<Library> UpdateAsync(string libraryId, Library library, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        if (!string.Equals(library.Id, libraryId, StringComparison.Ordinal))
        {
            errors.Add("id", "The id in the body must match the id in the URL.");
        }

        LibraryValidator.Validate(library, errors);
        errors.ThrowIfAny();
        if (!await libraries.TryReplaceAsync(library, cancellationToken))
        {
            throw new NotFoundException($"Library '{libraryId}' was not found.");
        }

        return library;
    }

    public Task<string> RotateKeyAsync(string libraryId, CancellationToken cancellationToken = default) =>
        keys.IssueAsync(libraryId, clock.GetUtcNow(), cancellationToken);

    /// <summary>
    /// Removes the library and everything kept for it (see <see cref="LibraryDataPurge"/>). The settings row
    /// goes last, so a deletion interrupted half-way can simply be repeated with the same key.
    /// </summary>
    public async Task DeleteAsync(string libraryId, CancellationToken cancellationToken = default)
    {
        await purge.PurgeAsync(libraryId, cancellationToken);
        await libraries.DeleteAsync(libraryId, cancellationToken);
    }
}
