namespace Comms.Sms;

/// <summary>
/// Hours of the library's local day when no SMS goes out (a text wakes people; an email does not). The window may wrap
/// midnight (21:00-08:00); Start equal to End means no quiet hours.
/// </summary>
public sealed record QuietHours
{
    public TimeOnly Start { get; init; } = new(21, 0);
    public TimeOnly End { get; init; } = new(8, 0);

    /// <summary>When the quiet hours around <paramref name="utcNow"/> end (UTC), or null when it is not quiet now.</summary>
    public DateTimeOffset? EndIfQuiet(string timeZone, DateTimeOffset utcNow)
    {
        if (Start == End)
        {
            return null;
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var local = TimeZoneInfo.ConvertTime(utcNow, zone).DateTime;
        var time = TimeOnly.FromDateTime(local);
        var quiet = Start < End ? time >= Start && time < End : time >= Start || time < End;
        if (!quiet)
        {
            return null;
        }

        var endDate = DateOnly.FromDateTime(local);
        if (time >= End)
        {
            endDate = endDate.AddDays(1);
        }

        var endLocal = endDate.ToDateTime(End);

        // A clock change may skip the end time: the first valid local time after it is when the quiet ends.
        while (zone.IsInvalidTime(endLocal))
        {
            endLocal = endLocal.AddMinutes(15);
        }

        return new DateTimeOffset(endLocal, zone.GetUtcOffset(endLocal)).ToUniversalTime();
    }
}
