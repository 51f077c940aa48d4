using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Comms.Storage;

namespace Comms.Libraries;

/// <summary>Library settings in Table Storage, one row per library.</summary>
public sealed class LibraryStore(CommsTables tables)
{
    /// <summary>
    /// How long the send path may reuse a library's settings. Every notice needs them (provider, From, BCC
    /// flag) and re-reading them per notice was one of five storage round trips. Writes through this process
    /// drop the entry at once; a change made by another instance is seen within this time, well inside
    /// "a settings change applies from the next step" (docs/circulation.md).
    /// </summary>
    public static readonly TimeSpan SendPathCacheTime = TimeSpan.FromSeconds(10);

    private const string TableName = "Libraries";
    private const string SettingsRow = "settings";
    private readonly DocumentTable<Library> _libraries = new(tables, TableName);
    private readonly ConcurrentDictionary<string, (Library? Library, long ExpiresAt)> _recent = new(StringComparer.Ordinal);

    /// <summary>The library's settings, read once per <see cref="ReadSnapshot"/> (a step's send and plan share them).</summary>
    public Task<Library?> GetAsync(string libraryId, CancellationToken cancellationToken = default) =>
        ReadSnapshot.ReadAsync(SnapshotKey(libraryId), () => _libraries.GetAsync(libraryId, SettingsRow, cancellationToken));

    /// <summary>For sending only: the settings as read at most <see cref="SendPathCacheTime"/> ago. APIs read fresh.</summary>
    public async Task<Library?> GetForSendingAsync(string libraryId, CancellationToken cancellationToken = default)
    {
        if (_recent.TryGetValue(libraryId, out var hit) && Environment.TickCount64 < hit.ExpiresAt)
        {
            return hit.Library;
        }

        var library = await GetAsync(libraryId, cancellationToken);
        if (library is not null)
        {
            _recent[libraryId] = (library, Environment.TickCount64 + (long)SendPathCacheTime.TotalMilliseconds);
        }

        return library;
    }

    /// <summary>Every library's id, streamed page by page (keys only), for jobs that visit each library.</summary>
    public async IAsyncEnumerable<string> ListIdsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        await foreach (var row in table.QueryAsync<TableEntity>(r => r.RowKey == SettingsRow, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            yield return row.PartitionKey;
        }
    }

    public async Task<bool> TryCreateAsync(Library library, CancellationToken cancellationToken = default)
    {
        _recent.TryRemove(library.Id, out _);
        ReadSnapshot.Forget(SnapshotKey(library.Id));
        return await _libraries.TryInsertAsync(library.Id, SettingsRow, library, cancellationToken);
    }

    public async Task<bool> TryReplaceAsync(Library library, CancellationToken cancellationToken = default)
    {
        ReadSnapshot.Forget(SnapshotKey(library.Id));
        try
        {
            return await _libraries.TryReplaceAsync(library.Id, SettingsRow, library, cancellationToken);
        }
        finally
        {
            // After the write too: a send that read the old row while this write was in flight must not keep it.
            _recent.TryRemove(library.Id, out _);
        }
    }

    public async Task<bool> DeleteAsync(string libraryId, CancellationToken cancellationToken = default)
    {
        ReadSnapshot.Forget(SnapshotKey(libraryId));
        try
        {
            return await _libraries.DeleteAsync(libraryId, SettingsRow, cancellationToken);
        }
        finally
        {
            _recent.TryRemove(libraryId, out _);
        }
    }

    private static string SnapshotKey(string libraryId) => $"{TableName}|{libraryId}";
}
