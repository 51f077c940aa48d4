using Comms.Storage;

namespace Comms.Libraries;

/// <summary>Library settings in Table Storage, one row per library.</summary>
public sealed class LibraryStore(CommsTables tables)
{
    private const string SettingsRow = "settings";
    private readonly DocumentTable<Library> _libraries = new(tables, "Libraries");

    public Task<Library?> GetAsync(string libraryId, CancellationToken cancellationToken = default) =>
        _libraries.GetAsync(libraryId, SettingsRow, cancellationToken);

    public Task<bool> TryCreateAsync(Library library, CancellationToken cancellationToken = default) =>
        _libraries.TryInsertAsync(library.Id, SettingsRow, library, cancellationToken);

    public Task<bool> TryReplaceAsync(Library library, CancellationToken cancellationToken = default) =>
        _libraries.TryReplaceAsync(library.Id, SettingsRow, library, cancellationToken);

    public Task<bool> DeleteAsync(string libraryId, CancellationToken cancellationToken = default) =>
        _libraries.DeleteAsync(libraryId, SettingsRow, cancellationToken);
}
