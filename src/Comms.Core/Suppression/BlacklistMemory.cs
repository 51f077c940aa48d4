using System.Collections.Concurrent;
using Azure.Data.Tables;
using Comms.Storage;
using Microsoft.Extensions.Options;

namespace Comms.Suppression;

/// <summary>
/// The blacklist as the send path reads it: every entry held in memory, so the check before each send costs no
/// storage call (it was one point read per recipient, the largest single table cost of a notice after the ledger).
/// <para>
/// Freshness: this process's own writes (a bounce it handled, a sync page, a staff removal) change the memory at
/// once. Another instance's additions arrive with the next refresh, at most
/// <see cref="SuppressionOptions.BlacklistRefreshSeconds"/> later: the check that finds the memory older runs that
/// refresh and waits for it, and checks made meanwhile answer from the memory as it was (up to twice the interval).
/// Another instance's removals arrive with the next full reload (<see cref="SuppressionOptions.BlacklistFullReloadMinutes"/>):
/// until then the address stays suppressed, which is the safe side of being stale.
/// </para>
/// </summary>
public sealed class BlacklistMemory(CommsTables tables, TimeProvider clock, IOptions<SuppressionOptions> options)
{
    /// <summary>
    /// A refresh reads rows stamped this long before the previous one began: the service stamps rows with its own
    /// clock, and a row committed while the previous query ran may carry a slightly earlier stamp. Re-reading a few
    /// minutes of rows is harmless; missing one is not.
    /// </summary>
    private static readonly TimeSpan StampOverlap = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private volatile Snapshot? _current;
    private volatile ConcurrentDictionary<string, BlacklistEntry>? _loading;

    public bool Enabled => options.Value.BlacklistRefreshSeconds > 0;

    /// <summary>The entry for a row key (<see cref="BlacklistStore.KeysFor"/>), refreshing first when the memory is older than allowed.</summary>
    public async ValueTask<BlacklistEntry?> FindAsync(string rowKey, CancellationToken cancellationToken)
    {
        var snapshot = _current;
        if (snapshot is null || (IsStale(snapshot) && !MayAnswerDuringRefresh(snapshot)))
        {
            snapshot = await RefreshAsync(cancellationToken);
        }

        return snapshot.Entries.GetValueOrDefault(rowKey);
    }

    /// <summary>
    /// While another check runs the refresh, the snapshot it replaces still answers, so one slow read of the table
    /// holds up one send, not every send in the process. Past twice the interval the refresh looks stuck and checks
    /// wait for it: another instance's additions are then seen at most two intervals late, never without bound.
    /// Only the first load, which has nothing to answer from, is always waited for.
    /// </summary>
    private bool MayAnswerDuringRefresh(Snapshot snapshot) =>
        _refreshing.CurrentCount == 0
        && clock.GetUtcNow() - snapshot.RefreshedAt < 2 * TimeSpan.FromSeconds(options.Value.BlacklistRefreshSeconds);

    /// <summary>This process stored the entry: the next check sees it without waiting for a refresh.</summary>
    internal void Remember(string rowKey, BlacklistEntry entry)
    {
        _current?.Entries[rowKey] = entry;
        _loading?[rowKey] = entry;
    }

    /// <summary>This process deleted the entry.</summary>
    internal void Forget(string rowKey)
    {
        _current?.Entries.TryRemove(rowKey, out _);
        _loading?.TryRemove(rowKey, out _);
    }

    private bool IsStale(Snapshot snapshot) =>
        clock.GetUtcNow() - snapshot.RefreshedAt >= TimeSpan.FromSeconds(options.Value.BlacklistRefreshSeconds);

    private async Task<Snapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            // Another check refreshed while this one waited for the lock.
            if (_current is { } fresh && !IsStale(fresh))
            {
                return fresh;
            }

            var started = clock.GetUtcNow();
            var table = await tables.GetAsync(BlacklistStore.TableName);
            var full = _current is null || started - _current.LoadedAt >= TimeSpan.FromMinutes(options.Value.BlacklistFullReloadMinutes);
            if (full)
            {
                // A fresh dictionary, so entries another instance removed drop out; writes of this process made
                // while the query runs go into it too (Remember/Forget), so none is lost in the swap.
                var entries = new ConcurrentDictionary<string, BlacklistEntry>(StringComparer.Ordinal);
                _loading = entries;
                await ReadIntoAsync(table, entries, filter: null, cancellationToken);
                _current = new Snapshot(entries, started, started);
                _loading = null;
            }
            else
            {
                var since = _current!.RefreshedAt - StampOverlap;
                await ReadIntoAsync(table, _current.Entries, TableClient.CreateQueryFilter($"Timestamp ge {since}"), cancellationToken);
                _current = _current with { RefreshedAt = started };
            }

            return _current;
        }
        finally
        {
            _loading = null;
            _refreshing.Release();
        }
    }

    private static async Task ReadIntoAsync(TableClient table, ConcurrentDictionary<string, BlacklistEntry> entries, string? filter, CancellationToken cancellationToken)
    {
        string[] columns = ["RowKey", nameof(BlacklistRow.Address), nameof(BlacklistRow.Reason), nameof(BlacklistRow.Source), nameof(BlacklistRow.UpdatedAt), nameof(BlacklistRow.ProviderRef)];
        await foreach (var row in table.QueryAsync<BlacklistRow>(filter, select: columns, cancellationToken: cancellationToken))
        {
            entries[row.RowKey] = row.ToEntry();
        }
    }

    /// <param name="LoadedAt">When the last full read began.</param>
    /// <param name="RefreshedAt">When the last read of either kind began: rows stamped after it may be missing.</param>
    private sealed record Snapshot(ConcurrentDictionary<string, BlacklistEntry> Entries, DateTimeOffset LoadedAt, DateTimeOffset RefreshedAt);
}
