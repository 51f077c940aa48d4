using System.Collections.Concurrent;

namespace Comms.DevHost;

/// <summary>One function as the dev host actually wired it: trigger, and route / methods or schedule where they apply.</summary>
public sealed record ServedFunction(string Name, string Trigger, string? Route = null, IReadOnlyList<string>? Methods = null, string? Schedule = null);

/// <summary>
/// What the dev host serves, recorded at the point where each function is wired (HTTP endpoint, durable
/// registration, timer schedule), so a test can hold it against the build's functions.metadata.
/// </summary>
public sealed class ServedFunctions
{
    private readonly ConcurrentDictionary<string, ServedFunction> _functions = new(StringComparer.Ordinal);

    public IReadOnlyCollection<ServedFunction> All => [.. _functions.Values.OrderBy(f => f.Name, StringComparer.Ordinal)];

    public void Add(ServedFunction function) => _functions[function.Name] = function;
}
