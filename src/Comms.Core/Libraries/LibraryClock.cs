namespace Comms.Libraries;

/// <summary>Dates as the library sees them: "today" is today in the library's own time zone.</summary>
public static class LibraryClock
{
    public static DateOnly Today(Library library, DateTimeOffset utcNow) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(utcNow, TimeZoneInfo.FindSystemTimeZoneById(library.TimeZone)).DateTime);
}
