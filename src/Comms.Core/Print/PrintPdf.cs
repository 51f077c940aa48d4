using System.Globalization;
using System.Text;
using PdfSharp.Pdf;

namespace Comms.Print;

/// <summary>
/// Writes a print batch as one PDF, one A4 page per notice: the library's name, the date, the address block (where a
/// window envelope shows it), the heading and the letter, and a footer naming the page's notice.
/// <para>
/// The pages use the PDF standard fonts Courier and Courier-Bold, which every PDF reader and printer has: nothing is
/// embedded and no font file or font resolver is needed, so the same code writes the same PDF on a fresh Linux machine
/// without fonts (PDFsharp's drawing layer would need one). Courier's fixed width makes line breaking exact without
/// font metrics. The text is WinAnsi (Western European); a character outside it prints as '?' (docs/channels.md).
/// </para>
/// </summary>
public static class PrintPdf
{
    /// <summary>A4 in points.</summary>
    private const double Width = 595.28, Height = 841.89, Left = 56, Bottom = 56;

    private const double BodySize = 10, LineHeight = 13;

    /// <summary>Courier is 600/1000 em wide: at 10 pt, 6 pt a character; 80 fit between the margins.</summary>
    public const int Columns = 80;

    /// <summary>The letter's lines that fit on its page below the heading; a longer letter ends in "...".</summary>
    public const int BodyLines = 38;

    public static byte[] Write(string libraryName, DateOnly date, IReadOnlyList<PrintItem> items)
    {
        using var document = new PdfDocument();
        document.Info.Title = $"{libraryName}: printed notices {date:yyyy-MM-dd}";
        var regular = Font(document, "/Courier");
        var bold = Font(document, "/Courier-Bold");
        for (var i = 0; i < items.Count; i++)
        {
            var page = document.AddPage();
            page.Width = PdfSharp.Drawing.XUnit.FromPoint(Width);
            page.Height = PdfSharp.Drawing.XUnit.FromPoint(Height);
            var fonts = new PdfDictionary(document);
            fonts.Elements.SetReference("/F1", regular);
            fonts.Elements.SetReference("/F2", bold);
            var resources = new PdfDictionary(document);
            resources.Elements["/Font"] = fonts;
            page.Elements["/Resources"] = resources;
            var content = page.Contents.AppendContent();
            var bytes = Page(libraryName, date, items[i], i + 1, items.Count);
            if (content.Stream is null)
            {
                content.CreateStream(bytes);
            }
            else
            {
                content.Stream.Value = bytes;
            }
        }

        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    private static PdfDictionary Font(PdfDocument document, string baseFont)
    {
        var font = new PdfDictionary(document);
        font.Elements.SetName("/Type", "/Font");
        font.Elements.SetName("/Subtype", "/Type1");
        font.Elements.SetName("/BaseFont", baseFont);
        font.Elements.SetName("/Encoding", "/WinAnsiEncoding");
        document.Internals.AddObject(font);
        return font;
    }

    private static byte[] Page(string libraryName, DateOnly date, PrintItem item, int number, int count)
    {
        var content = new StringBuilder();
        var y = Height - 70;
        Line(content, "F2", 12, Left, y, Fit(libraryName));
        Line(content, "F1", BodySize, Left, y -= 15, date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture));

        // The address block, where a DL window envelope shows it.
        y = Height - 160;
        Line(content, "F1", BodySize, Left, y, Fit(item.RecipientName));
        var address = Common.PostalAddress.Lines(item.PostalAddress);
        foreach (var line in address.Count > 0 ? address : ["(no postal address on file: address by hand)"])
        {
            Line(content, "F1", BodySize, Left, y -= LineHeight, Fit(line));
        }

        y = Height - 270;
        Line(content, "F2", 12, Left, y, Fit(item.Heading));
        y -= 10;
        foreach (var line in BodyOf(item.Body))
        {
            Line(content, "F1", BodySize, Left, y -= LineHeight, line);
        }

        Line(content, "F1", 8, Left, Bottom - 20, $"Notice {item.Id[..12]} - {item.Scenario} - page {number} of {count}");
        return Encoding.ASCII.GetBytes(content.ToString());
    }

    /// <summary>The letter broken into lines of <see cref="Columns"/> characters, at most <see cref="BodyLines"/> of them.</summary>
    public static IReadOnlyList<string> BodyOf(string body)
    {
        var lines = new List<string>();
        foreach (var paragraph in body.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n'))
        {
            lines.AddRange(Wrap(paragraph.TrimEnd()));
        }

        if (lines.Count <= BodyLines)
        {
            return lines;
        }

        lines = lines[..BodyLines];
        lines[^1] = Fit(lines[^1].Length > Columns - 4 ? lines[^1][..(Columns - 4)] : lines[^1]) + " ...";
        return lines;
    }

    private static IEnumerable<string> Wrap(string paragraph)
    {
        if (paragraph.Length == 0)
        {
            yield return string.Empty;
            yield break;
        }

        var line = new StringBuilder();
        foreach (var word in paragraph.Split(' '))
        {
            var rest = word;
            while (rest.Length > Columns)
            {
                if (line.Length > 0)
                {
                    yield return line.ToString();
                    line.Clear();
                }

                yield return rest[..Columns];
                rest = rest[Columns..];
            }

            if (line.Length > 0 && line.Length + 1 + rest.Length > Columns)
            {
                yield return line.ToString();
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : string.Empty).Append(rest);
        }

        yield return line.ToString();
    }

    private static string Fit(string text) => text.Length <= Columns ? text : text[..(Columns - 3)] + "...";

    private static void Line(StringBuilder content, string font, double size, double x, double y, string text) =>
        content.Append(CultureInfo.InvariantCulture, $"BT /{font} {size:0.##} Tf {x:0.##} {y:0.##} Td (").Append(Escape(text)).Append(") Tj ET\n");

    /// <summary>
    /// A PDF string in WinAnsi: printable ASCII as is (with '(', ')' and '\' escaped), other WinAnsi characters as octal
    /// escapes, so the content stream stays ASCII; anything WinAnsi lacks becomes '?'.
    /// </summary>
    internal static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var code = WinAnsi(c);
            if (code is '(' or ')' or '\\')
            {
                sb.Append('\\').Append((char)code);
            }
            else if (code is >= 0x20 and < 0x7F)
            {
                sb.Append((char)code);
            }
            else
            {
                sb.Append('\\').Append(Convert.ToString(code, 8).PadLeft(3, '0'));
            }
        }

        return sb.ToString();
    }

    private static int WinAnsi(char c) => c switch
    {
        >= ' ' and <= '~' => c,
        >= '\u00A0' and <= '\u00FF' => c,
        '\u20AC' => 0x80,
        '\u201A' => 0x82,
        '\u201E' => 0x84,
        '\u2026' => 0x85,
        '\u2018' => 0x91,
        '\u2019' => 0x92,
        '\u201C' => 0x93,
        '\u201D' => 0x94,
        '\u2022' => 0x95,
        '\u2013' => 0x96,
        '\u2014' => 0x97,
        '\u2122' => 0x99,
        '\t' => ' ',
        _ => '?',
    };
}
