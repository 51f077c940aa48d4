using System.Collections.Concurrent;
using System.Globalization;

namespace Comms.Common;

/// <summary>
/// The culture a reader's dates, numbers and plurals are written in: the reader's language, else the library's
/// default language. A language without a region ("en", "fr") takes the library's own locale when the library
/// speaks it ("en" reader, "en-NZ" library → en-NZ), else the region of the library's time zone ("en" in
/// Europe/London → en-GB), so a UK or New Zealand library never writes dates the US way.
/// </summary>
public static class Locales
{
    private static readonly ConcurrentDictionary<string, string?> RegionByZone = new(StringComparer.Ordinal);
    private static readonly Lazy<string[]> Regions = new(AllRegions);

    public static CultureInfo For(string? language, string? libraryLanguage, string? timeZone)
    {
        var culture = Language.IsKnown(language) ? CultureInfo.GetCultureInfo(language!)
            : Language.IsKnown(libraryLanguage) ? CultureInfo.GetCultureInfo(libraryLanguage!)
            : CultureInfo.GetCultureInfo("en");
        return culture.IsNeutralCulture ? WithRegion(culture, libraryLanguage, timeZone) : culture;
    }

    /// <summary>The two-letter region whose clocks an IANA zone keeps ("Europe/London" → "GB"), or null (UTC, unknown).</summary>
    public static string? RegionOfZone(string? timeZone) =>
        string.IsNullOrEmpty(timeZone) ? null : RegionByZone.GetOrAdd(timeZone, static zone =>
            ZoneTable.Value.GetValueOrDefault(zone) ?? RegionFromWindowsZones(zone));

    // tzdata's zone.tab ("GB <coordinates> Europe/London"), where the runtime reads its zones from (Linux, containers).
    private static readonly Lazy<Dictionary<string, string>> ZoneTable = new(() =>
    {
        var table = new Dictionary<string, string>(StringComparer.Ordinal);
        var file = Path.Combine(Environment.GetEnvironmentVariable("TZDIR") is { Length: > 0 } dir ? dir : "/usr/share/zoneinfo", "zone.tab");
        if (!File.Exists(file))
        {
            return table;
        }

        foreach (var line in File.ReadLines(file))
        {
            var fields = line.Split('\t');
            if (fields.Length >= 3 && !line.StartsWith('#') && fields[0].Length == 2)
            {
                table.TryAdd(fields[2], fields[0]);
            }
        }

        return table;
    });

    // Without zone.tab (Windows): the runtime's windowsZones data maps a Windows zone and a region to that region's
    // IANA zone, and any region it does not list to the zone's default, which therefore names no region.
    private static string? RegionFromWindowsZones(string zone)
    {
        if (!TimeZoneInfo.TryConvertIanaIdToWindowsId(zone, out var windows)
            || (TimeZoneInfo.TryConvertWindowsIdToIanaId(windows, "001", out var fallback) && fallback == zone))
        {
            return null;
        }

        return Regions.Value.FirstOrDefault(region =>
            TimeZoneInfo.TryConvertWindowsIdToIanaId(windows, region, out var iana) && string.Equals(iana, zone, StringComparison.Ordinal));
    }

    private static CultureInfo WithRegion(CultureInfo neutral, string? libraryLanguage, string? timeZone)
    {
        if (Language.IsKnown(libraryLanguage)
            && CultureInfo.GetCultureInfo(libraryLanguage!) is { IsNeutralCulture: false } library
            && library.Name.StartsWith(neutral.Name + "-", StringComparison.OrdinalIgnoreCase))
        {
            return library;
        }

        return RegionOfZone(timeZone) is { } region && Language.IsKnown($"{neutral.Name}-{region}")
            ? CultureInfo.GetCultureInfo($"{neutral.Name}-{region}")
            : neutral;
    }

    private static string[] AllRegions()
    {
        var regions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            try
            {
                var region = new RegionInfo(culture.Name).TwoLetterISORegionName;
                if (region.Length == 2 && char.IsLetter(region[0]))
                {
                    regions.Add(region);
                }
            }
            catch (ArgumentException)
            {
                // A culture without a region of its own.
            }
        }

        return [.. regions];
    }
}
