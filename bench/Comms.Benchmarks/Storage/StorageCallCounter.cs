using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Comms.Benchmarks.Storage;

/// <summary>
/// Counts every request the storage SDK sends (retries included: each is a billed transaction and a round trip),
/// by table and verb, so the bench reports the storage cost per notice measured rather than counted by hand.
/// </summary>
/// <param name="tablePrefix">The run's table prefix (or task hub name), left out of the names it reports.</param>
/// <param name="service">The service whose client the counter is added to.</param>
public sealed class StorageCallCounter(string tablePrefix, StorageService service = StorageService.Table) : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _milliseconds = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(_calls, StringComparer.Ordinal);

    /// <summary>
    /// The summed round trip of each kind of call, in milliseconds: where the time goes, not only how many calls.
    /// On one Azurite process that answers requests one at a time, a kind's share of the sum is its share of the emulator.
    /// </summary>
    public IReadOnlyDictionary<string, double> SnapshotMilliseconds() => new Dictionary<string, double>(_milliseconds, StringComparer.Ordinal);

    public void Reset()
    {
        _calls.Clear();
        _milliseconds.Clear();
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var kind = Count(message);
        var started = Stopwatch.GetTimestamp();
        ProcessNext(message, pipeline);
        Time(kind, started);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var kind = Count(message);
        var started = Stopwatch.GetTimestamp();
        await ProcessNextAsync(message, pipeline);
        Time(kind, started);
    }

    private string Count(HttpMessage message)
    {
        var kind = Describe(message.Request);
        _calls.AddOrUpdate(kind, 1, (_, n) => n + 1);
        return kind;
    }

    private void Time(string kind, long started)
    {
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _milliseconds.AddOrUpdate(kind, elapsed, (_, sum) => sum + elapsed);
    }

    /// <summary>
    /// "get Patrons", "query History", "post $batch", "delete queue workitems", "get blob leases"...: the verb and the
    /// table, queue or blob container, without keys, message ids or the run's prefix. Table calls name the table;
    /// queue and blob calls (the durable engine's) say so, and the control queues' partition numbers are dropped.
    /// </summary>
    public string Describe(Request request)
    {
        var segments = request.Uri.Path.Trim('/').Split('/');
        var verb = request.Method.Method;
        if (service == StorageService.Table)
        {
            var last = segments[^1];
            var table = Unprefixed(last.Split('(', 2)[0]);
            // A point read, a query and an upsert all name the table; a query has no key in its parentheses
            // ("Table()" or "Table"), which matters on Azurite, where a query reads every row of the table.
            var kind = verb == "GET" && (!last.Contains('(', StringComparison.Ordinal) || last.EndsWith("()", StringComparison.Ordinal)) ? "query" : verb.ToLowerInvariant();
            return $"{kind} {table}";
        }

        // Path-style emulator addresses start with the account: /devstoreaccount1/{queue or container}/...
        var resource = segments.Length > 1 ? segments[1] : segments[0];
        resource = Unprefixed(resource);
        var dash = resource.LastIndexOf('-');
        if (dash > 0 && resource[(dash + 1)..].All(char.IsAsciiDigit))
        {
            resource = resource[..dash];
        }

        return $"{verb.ToLowerInvariant()} {(service == StorageService.Queue ? "queue" : "blob")} {resource}";
    }

    private string Unprefixed(string name) =>
        name.StartsWith(tablePrefix, StringComparison.OrdinalIgnoreCase) ? name[tablePrefix.Length..].TrimStart('-') : name;
}

/// <summary>Which storage service a counter sits on: the names in its paths mean different things.</summary>
public enum StorageService
{
    Table,
    Queue,
    Blob,
}
