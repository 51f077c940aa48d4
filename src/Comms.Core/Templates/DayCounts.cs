using System.Globalization;

namespace Comms.Templates;

/// <summary>
/// "1 day", "3 days", "1 jour", "2 Tage": a number of days with the word in the reader's language and the
/// right plural form, so no template writes "1 days". Languages not listed here get the English words.
/// </summary>
public static class DayCounts
{
    // (singular, plural, whether 0 takes the singular as well) per language; CLDR cardinal rules "one" / "other".
    private static readonly Dictionary<string, (string One, string Other, bool ZeroIsOne)> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = ("day", "days", false),
        ["fr"] = ("jour", "jours", true),
        ["de"] = ("Tag", "Tage", false),
        ["nl"] = ("dag", "dagen", false),
        ["es"] = ("día", "días", false),
        ["it"] = ("giorno", "giorni", false),
        ["pt"] = ("dia", "dias", false),
        ["sv"] = ("dag", "dagar", false),
        ["da"] = ("dag", "dage", false),
        ["nb"] = ("dag", "dager", false),
        ["no"] = ("dag", "dager", false),
        ["cy"] = ("diwrnod", "diwrnod", false),
        ["mi"] = ("rā", "rā", false),
    };

    public static string Format(int days, CultureInfo culture)
    {
        var (one, other, zeroIsOne) = Words.TryGetValue(culture.TwoLetterISOLanguageName, out var words) ? words : Words["en"];
        var singular = days == 1 || (zeroIsOne && days == 0);
        return $"{days.ToString("N0", culture)} {(singular ? one : other)}";
    }
}
