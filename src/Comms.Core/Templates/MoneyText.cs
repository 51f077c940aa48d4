using System.Collections.Concurrent;
using System.Globalization;
using Comms.Common;
using Comms.Libraries;

namespace Comms.Templates;

/// <summary>
/// Amounts in a currency, written the reader's way: the locale's number format and currency pattern with the
/// currency's own symbol ("£12.50" for en-GB, "12,50 €" for fr-FR, "€12.50" for en-IE). The symbol comes from
/// a region that uses the currency; a code no region uses is shown as the code ("12.50 XTS").
/// </summary>
public static class MoneyText
{
    private static readonly ConcurrentDictionary<string, string> Symbols = new(StringComparer.Ordinal);

    public static string Format(decimal amount, string currency, CultureInfo culture)
    {
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencySymbol = Symbol(currency, culture);
        format.CurrencyDecimalDigits = 2;
        return amount.ToString("C", format);
    }

    /// <summary>The library's own currency, else its region's: the default language's region, else the time zone's; "XXX" if neither has one.</summary>
    public static string CurrencyOf(Library library)
    {
        if (library.Currency is { } own)
        {
            return own;
        }

        var culture = Locales.For(null, library.DefaultLanguage, library.TimeZone);
        return RegionOf(culture)?.ISOCurrencySymbol ?? "XXX";
    }

    private static string Symbol(string currency, CultureInfo culture)
    {
        if (RegionOf(culture) is { } own && own.ISOCurrencySymbol == currency)
        {
            return own.CurrencySymbol;
        }

        return Symbols.GetOrAdd(currency, code => CultureInfo.GetCultures(CultureTypes.SpecificCultures)
            .Select(RegionOf)
            .FirstOrDefault(r => r is not null && r.ISOCurrencySymbol == code)?.CurrencySymbol ?? code);
    }

    private static RegionInfo? RegionOf(CultureInfo culture)
    {
        try
        {
            return culture.IsNeutralCulture || culture.Name.Length == 0 ? null : new RegionInfo(culture.Name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
