using System.Collections.Concurrent;
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

    public IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(_calls, StringComparer.Ordinal);

    public void Reset() => _calls.Clear();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Count(HttpMessage message)
    {
        _calls.AddOrUpdate(Describe(message.Request), 1, (_, n) => n + 1);
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
