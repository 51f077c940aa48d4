using Azure;
using Azure.Data.Tables;

namespace Comms.EmailLog;

/// <summary>
/// The stored form: the entry as JSON plus the columns the log is filtered on, so filters run in the
/// table service and pages stay pages.
/// </summary>
public sealed class EmailLogRow : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;
    public string RowKey { get; set; } = string.Empty;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string Status { get; set; } = string.Empty;
    public string Scenario { get; set; } = string.Empty;
    public string? AddressKey { get; set; }

    /// <summary>Set on Sent rows: lets a retry after a crash find the row it may not have written.</summary>
    public string? ProviderMessageId { get; set; }

    /// <summary>Finds a patron's rows when the patron is erased; rows written before this column existed lack it.</summary>
    public string? PatronId { get; set; }

    /// <summary>
    /// Finds every attempt of one recipient's notice (retries, failover, the later delivery report all keep it), for
    /// a log row's details and the outbox status's email-log link; rows written before this column existed lack it.
    /// </summary>
    public string? NoticeId { get; set; }

    /// <summary>The outbox notice of an immediate notice's rows: the outbox status's email-log link filters on it.</summary>
    public string? OutboxNoticeId { get; set; }

    /// <summary>"email", "sms" or "print": the log's channel filter runs in the table service; rows written before this column existed lack it.</summary>
    public string? Channel { get; set; }

    public string Data { get; set; } = string.Empty;
}
