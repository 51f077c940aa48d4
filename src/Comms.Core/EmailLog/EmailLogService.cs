using System.Globalization;
using Comms.Common;
using Comms.Scenarios;
using Comms.Storage;

namespace Comms.EmailLog;

/// <summary>Reads a library's email log from raw query-string values, rejecting bad filters with field errors.</summary>
public sealed class EmailLogService(EmailLogStore store)
{
    public Task<Page<EmailLogEntry>> QueryAsync(string libraryId, EmailLogFilter filter, CancellationToken cancellationToken = default) =>
        store.QueryAsync(libraryId, Parse(filter), cancellationToken);

    public static EmailLogQuery Parse(EmailLogFilter filter)
    {
        var errors = new ValidationErrors();
        var from = ParseTime(filter.From, "from", endOfDay: false, errors);
        var to = ParseTime(filter.To, "to", endOfDay: true, errors);
        if (from is not null && to is not null && from >= to)
        {
            errors.Add("to", "Must be after 'from'.");
        }

        EmailStatus? status = null;
        if (!string.IsNullOrEmpty(filter.Status))
        {
            if (Enum.TryParse<EmailStatus>(filter.Status, ignoreCase: true, out var parsed) && !int.TryParse(filter.Status, out _))
            {
                status = parsed;
            }
            else
            {
                errors.Add("status", $"Use one of: {string.Join(", ", Enum.GetNames<EmailStatus>())}.");
            }
        }

        ScenarioKey? scenario = null;
        if (!string.IsNullOrEmpty(filter.Scenario))
        {
            if (ScenarioKey.TryParse(filter.Scenario, out var key))
            {
                scenario = key;
            }
            else
            {
                errors.Add("scenario", "Use a scenario key such as 'overdue' or 'escalation-2'.");
            }
        }

        string? address = null;
        if (!string.IsNullOrEmpty(filter.Address))
        {
            if (EmailAddress.TryNormalize(filter.Address, out var normalized))
            {
                address = normalized;
            }
            else
            {
                errors.Add("address", "Not a valid email address.");
            }
        }

        // Notice ids are hashes (or a caller's id); anything long or with control characters is no id of ours.
        foreach (var (field, id) in new[] { ("noticeId", filter.NoticeId), ("outboxNoticeId", filter.OutboxNoticeId) })
        {
            if (id is { Length: > 200 } || (id ?? string.Empty).Any(char.IsControl))
            {
                errors.Add(field, "Not a notice id.");
            }
        }

        Delivery.NoticeChannel? channel = null;
        if (!string.IsNullOrEmpty(filter.Channel))
        {
            // Exact lower-case names only: "1" or "Sms" would parse as an enum but are not what the API writes.
            var known = Enum.GetValues<Delivery.NoticeChannel>().Where(c => EmailLogStore.ChannelKey(c) == filter.Channel).ToList();
            if (known.Count == 1)
            {
                channel = known[0];
            }
            else
            {
                errors.Add("channel", $"Use one of: {string.Join(", ", Enum.GetValues<Delivery.NoticeChannel>().Select(EmailLogStore.ChannelKey))}.");
            }
        }

        errors.ThrowIfAny();
        return new EmailLogQuery
        {
            From = from,
            To = to,
            Status = status,
            Scenario = scenario,
            Address = address,
            NoticeId = string.IsNullOrEmpty(filter.NoticeId) ? null : filter.NoticeId,
            OutboxNoticeId = string.IsNullOrEmpty(filter.OutboxNoticeId) ? null : filter.OutboxNoticeId,
            Channel = channel,
            PageSize = filter.PageSize,
            ContinuationToken = filter.ContinuationToken,
        };
    }

    /// <summary>A date ("2026-03-01", whole day in UTC; "to" includes that day) or an ISO 8601 instant.</summary>
    private static DateTimeOffset? ParseTime(string? value, string field, bool endOfDay, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1) : start;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            && value.Contains('T', StringComparison.Ordinal))
        {
            return instant;
        }

        errors.Add(field, "Use a date (yyyy-MM-dd) or an ISO 8601 time (2026-03-01T09:00:00Z).");
        return null;
    }
}

/// <summary>The raw filters as they arrive in a query string.</summary>
public sealed record EmailLogFilter(string? From, string? To, string? Status, string? Scenario, string? Address, int PageSize = 100, string? ContinuationToken = null, string? NoticeId = null, string? OutboxNoticeId = null, string? Channel = null);
