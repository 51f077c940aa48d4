using Azure;
using Azure.Data.Tables;

namespace Comms.Suppression;

/// <summary>
/// The stored form of a blacklist entry. Typed columns rather than a JSON document so that a full resync can
/// find the entries of one source it did not see (<see cref="Source"/>, <see cref="SeenAt"/>) in the table service.
/// </summary>
public sealed class BlacklistRow : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;
    public string RowKey { get; set; } = string.Empty;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string Address { get; set; } = string.Empty;
    public string Reason { get; set; } = string.Empty;
    public string Source { get; set; } = string.Empty;
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When a sync (or an event) last confirmed the entry.</summary>
    public DateTimeOffset SeenAt { get; set; }
    public string? ProviderRef { get; set; }

    public BlacklistEntry ToEntry() => new()
    {
        Address = Address,
        Reason = Reason,
        Source = Source,
        UpdatedAt = UpdatedAt,
        ProviderRef = ProviderRef,
    };
}
