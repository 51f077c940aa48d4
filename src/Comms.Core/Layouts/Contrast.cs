using System.Globalization;

namespace Comms.Layouts;

/// <summary>WCAG 2 contrast ratio of two sRGB colours, so a library's colours keep its notices readable.</summary>
public static class Contrast
{
    /// <summary>WCAG AA for normal text.</summary>
    public const double MinimumRatio = 4.5;

    /// <summary>"#rrggbb" (or "#rgb") to its red, green and blue; false for anything else.</summary>
    public static bool TryParse(string? hex, out (int R, int G, int B) rgb)
    {
        rgb = default;
        if (hex is null || hex.Length is not (4 or 7) || hex[0] != '#' || !hex.AsSpan(1).ToString().All(Uri.IsHexDigit))
        {
            return false;
        }

        var digits = hex.Length == 4 ? string.Concat(hex[1], hex[1], hex[2], hex[2], hex[3], hex[3]) : hex[1..];
        rgb = (Channel(digits, 0), Channel(digits, 2), Channel(digits, 4));
        return true;
    }

    /// <summary>(L1 + 0.05) / (L2 + 0.05) with the lighter colour's relative luminance on top: 1 to 21.</summary>
    public static double Ratio((int R, int G, int B) a, (int R, int G, int B) b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    /// <summary>"#1A56DB" and "#1a56db" and "#15d" become one lower-case six-digit form, as stored and inserted.</summary>
    public static string Normalise((int R, int G, int B) rgb) => string.Create(CultureInfo.InvariantCulture, $"#{rgb.R:x2}{rgb.G:x2}{rgb.B:x2}");

    private static int Channel(string digits, int at) => int.Parse(digits.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static double Luminance((int R, int G, int B) c) => (0.2126 * Linear(c.R)) + (0.7152 * Linear(c.G)) + (0.0722 * Linear(c.B));

    private static double Linear(int channel)
    {
        var s = channel / 255.0;
        return s <= 0.04045 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
    }
}
