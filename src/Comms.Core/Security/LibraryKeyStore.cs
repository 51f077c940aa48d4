using Comms.Storage;

namespace Comms.Security;

/// <summary>The hash of each library's current API key, kept apart from its settings so they never travel together.</summary>
public sealed class LibraryKeyStore(CommsTables tables)
{
    private const string CurrentKeyRow = "current";
    private readonly DocumentTable<StoredKey> _keys = new(tables, "LibraryKeys");

    public async Task<string?> GetHashAsync(string libraryId, CancellationToken cancellationToken = default) =>
        (await _keys.GetAsync(libraryId, CurrentKeyRow, cancellationToken))?.Hash;

    /// <summary>Issues a new key, replacing the old one, and returns it; only its hash is stored.</summary>
    public async Task<string> IssueAsync(string libraryId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var key = ApiKeys.Generate();
        await _keys.UpsertAsync(libraryId, CurrentKeyRow, new StoredKey(ApiKeys.Hash(key), now), cancellationToken);
        return key;
    }

    private sealed record StoredKey(string Hash, DateTimeOffset IssuedAt);
}
