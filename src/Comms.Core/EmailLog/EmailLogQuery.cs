using Comms.Scenarios;

namespace Comms.EmailLog;

/// <summary>Filters for one library's log: [From, To) by time, and optionally a status, scenario and address.</summary>
public sealed record EmailLogQuery
{
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public EmailStatus? Status { get; init; }
    public ScenarioKey? Scenario { get; init; }

    /// <summary>Normalised address; matched case-insensitively.</summary>
    public string? Address { get; init; }

    /// <summary>One recipient's notice: its every attempt (rows written before the NoticeId column existed are not found).</summary>
    public string? NoticeId { get; init; }

    /// <summary>An immediate notice's outbox id: the rows of all its recipients (new rows only, like <see cref="NoticeId"/>).</summary>
    public string? OutboxNoticeId { get; init; }

    /// <summary>Rows of one channel (new rows only, like <see cref="NoticeId"/>: rows older than the Channel column match no channel).</summary>
    public Delivery.NoticeChannel? Channel { get; init; }

    public int PageSize { get; init; } = 100;
    public string? ContinuationToken { get; init; }
}
