namespace Comms.Sms;

public enum SmsEncoding
{
    Gsm7,
    Ucs2,
}

/// <summary>How long a text is on the wire: its encoding and how many segments (billed messages) it takes.</summary>
public sealed record SmsLength(SmsEncoding Encoding, int Units, int Segments);

/// <summary>
/// GSM 03.38: a text of the 7-bit default alphabet (with its extension table, two septets each) fits 160 septets in
/// one message, 153 per segment when split; anything else goes as UCS-2, 70 UTF-16 units, 67 per segment.
/// </summary>
public static class SmsText
{
    /// <summary>Longer texts are cut: six segments is more than any notice needs and bounds what one reader costs.</summary>
    public const int MaxSegments = 6;

    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "^{}\\[~]|€\f";

    public static SmsLength Measure(string text)
    {
        var septets = 0;
        foreach (var c in text)
        {
            if (Basic.Contains(c, StringComparison.Ordinal))
            {
                septets++;
            }
            else if (Extension.Contains(c, StringComparison.Ordinal))
            {
                septets += 2;
            }
            else
            {
                return new SmsLength(SmsEncoding.Ucs2, text.Length, Segments(text.Length, 70, 67));
            }
        }

        return new SmsLength(SmsEncoding.Gsm7, septets, Segments(septets, 160, 153));
    }

    /// <summary>The text cut to <see cref="MaxSegments"/> segments (ending in "...", which stays GSM-7), never inside a surrogate pair.</summary>
    public static string Bound(string text)
    {
        while (Measure(text).Segments > MaxSegments)
        {
            var cut = text.Length - Math.Max(1, text.Length / 20) - 1;
            if (cut > 0 && char.IsLowSurrogate(text[cut]))
            {
                cut--;
            }

            text = text[..Math.Max(0, cut)] + "...";
        }

        return text;
    }

    /// <summary>Line breaks, tabs and runs of spaces become one space: a text is one paragraph on a phone.</summary>
    public static string OneLine(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static int Segments(int units, int single, int multi) => units == 0 ? 0 : units <= single ? 1 : (units + multi - 1) / multi;
}
