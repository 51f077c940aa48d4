using System.Collections.Concurrent;

namespace Comms.Storage;

/// <summary>
/// Rows read at most once in one unit of work. Sending a loan's step touches the same patron from the digest claim,
/// the dispatcher, the contacts' digests and the next step's plan, and the library from the send and the plan: read
/// separately, that was four or five reads of one patron row per notice (measured, docs/scaling.md), every one a
/// round trip and, on Azurite, a slice of its one busy thread. Inside a snapshot they share one read, so the
/// step's notice, its contacts and its plan also see one version of the record.
/// Outside a snapshot every read goes to storage. The stores drop a row from the snapshot when they write it.
/// </summary>
public sealed class ReadSnapshot : IDisposable
{
    private static readonly AsyncLocal<ReadSnapshot?> CurrentSnapshot = new();
    private readonly ConcurrentDictionary<string, Task<object?>> _rows = new(StringComparer.Ordinal);
    private readonly ReadSnapshot? _outer;

    private ReadSnapshot(ReadSnapshot? outer) => _outer = outer;

    /// <summary>
    /// Starts a snapshot for the calling flow and what it awaits (dispose it at the end of the unit of work: an
    /// activity, one HTTP request). A snapshot begun inside another starts empty and gives the outer one back when disposed.
    /// </summary>
    public static ReadSnapshot Begin()
    {
        var snapshot = new ReadSnapshot(CurrentSnapshot.Value);
        CurrentSnapshot.Value = snapshot;
        return snapshot;
    }

    /// <summary>The row under <paramref name="key"/> as first read in this snapshot (null included), or a fresh read outside one.</summary>
    public static async Task<T?> ReadAsync<T>(string key, Func<Task<T?>> read)
        where T : class
    {
        if (CurrentSnapshot.Value is not { } snapshot)
        {
            return await read();
        }

        var pending = snapshot._rows.GetOrAdd(key, static (_, read) => Boxed(read), read);
        try
        {
            return (T?)await pending;
        }
        catch
        {
            // A failed read is not remembered: the next caller tries storage again.
            snapshot._rows.TryRemove(new KeyValuePair<string, Task<object?>>(key, pending));
            throw;
        }
    }

    /// <summary>The row was written: later reads in this snapshot go to storage.</summary>
    public static void Forget(string key) => CurrentSnapshot.Value?._rows.TryRemove(key, out _);

    public void Dispose() => CurrentSnapshot.Value = _outer;

    private static async Task<object?> Boxed<T>(Func<Task<T?>> read)
        where T : class => await read();
}
