using Azure;
using Azure.Data.Tables;

namespace Comms.Storage;

/// <summary>A table row that holds one JSON document; the keys are the only indexed columns it needs.</summary>
public sealed class JsonRow : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;
    public string RowKey { get; set; } = string.Empty;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string Data { get; set; } = string.Empty;
}
