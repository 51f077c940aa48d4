namespace Comms.Circulation;

/// <summary>Library-local wall-clock time to UTC and back, safe across daylight-saving changes.</summary>
public static class LibraryTime
{
    public static TimeZoneInfo Zone(string? timeZoneId)
    {
        if (!string.IsNullOrWhiteSpace(timeZoneId) && TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone))
        {
            return zone;
        }

        // Library settings are validated, so this only covers a zone the OS no longer knows: send in UTC, not never.
        return TimeZoneInfo.Utc;
    }

    /// <summary>
    /// The UTC instant of <paramref name="time"/> on <paramref name="date"/> in <paramref name="zone"/>.
    /// A time skipped by a spring-forward change (01:30 when clocks jump 01:00 → 02:00) becomes the same
    /// elapsed time after the jump (02:30); a time that happens twice at fall-back takes the first occurrence,
    /// so a notice is never sent twice or an hour late.
    /// </summary>
    public static DateTimeOffset ToUtc(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsInvalidTime(local))
        {
            // The offset in force before the gap; transitions are never a day apart.
            offset = zone.GetUtcOffset(local.AddDays(-1));
        }
        else if (zone.IsAmbiguousTime(local))
        {
            offset = zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = zone.GetUtcOffset(local);
        }

        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
}
