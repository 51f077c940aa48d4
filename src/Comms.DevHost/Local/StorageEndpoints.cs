namespace Comms.DevHost.Local;

/// <summary>The loopback blob, queue and table ports a storage connection string points at (Azurite), if any.</summary>
public sealed record StorageEndpoints(int Blob, int Queue, int Table)
{
    /// <summary>Azurite's well-known ports, which "UseDevelopmentStorage=true" means.</summary>
    public static readonly StorageEndpoints Development = new(10000, 10001, 10002);

    public IReadOnlyList<int> Ports => [Blob, Queue, Table];

    /// <summary>Null for a connection string that names a real account (or no loopback endpoint): nothing to start.</summary>
    public static StorageEndpoints? Parse(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }

        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var isDev) && isDev)
        {
            return Development;
        }

        int? Port(string key) =>
            parts.TryGetValue(key, out var value) && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.IsLoopback ? uri.Port : null;

        return (Port("BlobEndpoint"), Port("QueueEndpoint"), Port("TableEndpoint")) is (int blob, int queue, int table)
            ? new StorageEndpoints(blob, queue, table)
            : null;
    }
}
