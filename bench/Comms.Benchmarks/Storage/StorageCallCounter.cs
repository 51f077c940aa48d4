using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Comms.Benchmarks.Storage;

/// <summary>
/// Counts every request the storage SDK sends (retries included: each is a billed transaction and a round trip),
/// by table and verb, so the bench reports the storage cost per notice measured rather than counted by hand.
/// </summary>
/// <param name="tablePrefix">The run's table prefix, left out of the names it reports.</param>
public sealed class StorageCallCounter(string tablePrefix) : HttpPipelinePolicy
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

    /// <summary>"GET Ledger", "POST $batch", "PUT Patrons"...: the verb and the table, without keys or query.</summary>
    public string Describe(Request request)
    {
        var path = request.Uri.Path.TrimEnd('/');
        var last = path[(path.LastIndexOf('/') + 1)..];
        var table = last.Split('(', 2)[0];
        table = table.StartsWith(tablePrefix, StringComparison.Ordinal) ? table[tablePrefix.Length..] : table;
        var verb = request.Method.Method;
        // A point read, a query and an upsert all name the table; a query has no key in parentheses.
        var kind = verb == "GET" && !last.Contains('(', StringComparison.Ordinal) ? "query" : verb.ToLowerInvariant();
        return $"{kind} {table}";
    }
}
