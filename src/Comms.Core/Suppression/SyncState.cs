using Azure;
using Azure.Data.Tables;

namespace Comms.Suppression;

/// <summary>
/// Where a provider's sync stands (table SuppressionSync, partition = source, row "state"). A run in progress
/// keeps its window and the token of the next page, written after every page, so an interrupted run resumes
/// at that page instead of starting over.
/// </summary>
public sealed class SyncState : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;
    public string RowKey { get; set; } = "state";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary>End of the window of the last completed run: the next incremental run starts here.</summary>
    public DateTimeOffset? Watermark { get; set; }
    public DateTimeOffset? LastFullSyncAt { get; set; }

    /// <summary>Set while a run is in progress (also after it was cut off).</summary>
    public DateTimeOffset? RunStartedAt { get; set; }
    public bool RunFull { get; set; }
    public DateTimeOffset? RunWindowStart { get; set; }
    public DateTimeOffset? RunWindowEnd { get; set; }
    public string? NextToken { get; set; }
    public long RunProcessed { get; set; }
    public int RunPages { get; set; }
}

/// <summary>What one call of the sync did for one source.</summary>
public sealed record SyncResult(string Source, bool Full, bool Completed, bool Resumed, long Processed, int Pages, int Swept);
