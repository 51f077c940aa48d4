using System.Collections.Concurrent;
using Comms.Storage;

namespace Comms.Layouts;

/// <summary>A library's layout: one row in its own partition of LibraryLayouts (purged with the library).</summary>
public sealed class LayoutStore(CommsTables tables)
{
    public const string TableName = "LibraryLayouts";
    private const string Row = "layout";
    private readonly DocumentTable<LibraryLayout> _layouts = new(tables, TableName);
    private readonly ConcurrentDictionary<string, (LibraryLayout? Layout, long ExpiresAt)> _recent = new(StringComparer.Ordinal);

    public Task<LibraryLayout?> GetAsync(string libraryId, CancellationToken cancellationToken = default) =>
        _layouts.GetAsync(libraryId, Row, cancellationToken);

    /// <summary>
    /// For sending: as read at most <see cref="Libraries.LibraryStore.SendPathCacheTime"/> ago, like the library's
    /// settings, so framing a notice costs no storage round trip on a busy night. Neutral when none is set.
    /// </summary>
    public async Task<LibraryLayout> GetForSendingAsync(string libraryId, CancellationToken cancellationToken = default)
    {
        if (_recent.TryGetValue(libraryId, out var hit) && Environment.TickCount64 < hit.ExpiresAt)
        {
            return hit.Layout ?? LibraryLayout.Neutral;
        }

        var layout = await GetAsync(libraryId, cancellationToken);
        _recent[libraryId] = (layout, Environment.TickCount64 + (long)Libraries.LibraryStore.SendPathCacheTime.TotalMilliseconds);
        return layout ?? LibraryLayout.Neutral;
    }

    public async Task SaveAsync(string libraryId, LibraryLayout layout, CancellationToken cancellationToken = default)
    {
        try
        {
            await _layouts.UpsertAsync(libraryId, Row, layout, cancellationToken);
        }
        finally
        {
            _recent.TryRemove(libraryId, out _);
        }
    }

    public async Task DeleteAsync(string libraryId, CancellationToken cancellationToken = default)
    {
        try
        {
            await _layouts.DeleteAsync(libraryId, Row, cancellationToken);
        }
        finally
        {
            _recent.TryRemove(libraryId, out _);
        }
    }
}
