using System.Text;
using System.Net;

namespace Comms.Layouts;

/// <summary>
/// Puts a library's layout around a notice's rendered content: the document, head, header (logo or name), the
/// content, and a footer (footer text, contact line, name and address). A template that is already a whole HTML
/// document (every library copy made before layouts existed) is left exactly as it is, so it is never framed twice.
/// Every layout field is library data and is HTML-escaped; colours are validated hex and the logo a checked https URL.
/// </summary>
public static class EmailLayout
{
    /// <summary>
    /// Where the engine's own footer paragraph (preferences and unsubscribe links, MessageBuilder) goes in a framed
    /// email: inside the white card, under the library's footer. A whole-document template has none, and the engine
    /// falls back to "before &lt;/body&gt;".
    /// </summary>
    public const string EngineFooterMarker = "<!--comms:engine-footer-->";

    /// <summary>True for a template that brings its own &lt;!DOCTYPE&gt;, &lt;html&gt; or &lt;body&gt;: it is sent unframed.</summary>
    public static bool IsFullDocument(string html)
    {
        // Leading whitespace and comments, then a doctype or <html>; or a <body> anywhere. Linear, no regex.
        var at = 0;
        while (true)
        {
            while (at < html.Length && char.IsWhiteSpace(html[at]))
            {
                at++;
            }

            if (string.CompareOrdinal(html, at, "<!--", 0, 4) != 0)
            {
                break;
            }

            var end = html.IndexOf("-->", at + 4, StringComparison.Ordinal);
            if (end < 0)
            {
                return false;
            }

            at = end + 3;
        }

        return StartsTag(html, at, "<!doctype") || StartsTag(html, at, "<html") || BodyTag(html);
    }

    /// <summary>The framed HTML email. <paramref name="title"/> is the rendered subject (the document's title).</summary>
    public static string Wrap(string content, string title, string libraryName, LibraryLayout layout, string language)
    {
        var name = Encode(libraryName);
        var sb = new StringBuilder(content.Length + 2048);
        sb.Append("<!DOCTYPE html>\n<html lang=\"").Append(Encode(language)).Append("\">\n<head>\n")
            .Append("<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n")
            .Append("<style>a { color: ").Append(layout.LinkColour).Append("; }</style>\n</head>\n")
            .Append("<body style=\"margin:0; padding:0; background-color:#f4f5f7;\">\n")
            .Append("<div role=\"article\" aria-label=\"").Append(Encode(title))
            .Append("\" style=\"max-width:600px; margin:0 auto; background-color:#ffffff; font-family:Arial, Helvetica, sans-serif; font-size:16px; line-height:1.5; color:#1f2933;\">\n")
            .Append("<div style=\"padding:16px 24px; background-color:").Append(layout.BrandColour).Append("; color:").Append(layout.BrandTextColour).Append(";\">\n");
        if (layout.LogoUrl is { } logo)
        {
            sb.Append("<img src=\"").Append(Encode(logo)).Append("\" alt=\"").Append(name)
                .Append("\" style=\"display:block; max-height:64px; max-width:240px; height:auto; border:0;\">\n");
        }
        else
        {
            sb.Append("<p style=\"margin:0; font-size:20px; font-weight:bold; color:").Append(layout.BrandTextColour).Append(";\">").Append(name).Append("</p>\n");
        }

        sb.Append("</div>\n<div style=\"padding:24px;\">\n").Append(content).Append("\n</div>\n")
            .Append("<div style=\"padding:16px 24px; border-top:1px solid #d9dee3; font-size:13px; line-height:1.5; color:#52606d;\">\n");
        AppendParagraph(sb, layout.FooterText);
        AppendParagraph(sb, layout.ContactLine);
        sb.Append("<p style=\"margin:0 0 8px 0;\">").Append(name);
        foreach (var line in (layout.Address ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            sb.Append("<br>").Append(Encode(line));
        }

        sb.Append("</p>\n").Append(EngineFooterMarker).Append("\n</div>\n</div>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>The plain-text body's closing lines from the layout (footer, contact, address); empty when it has none.</summary>
    public static string TextFooter(LibraryLayout layout)
    {
        string?[] parts = [layout.FooterText, layout.ContactLine, layout.Address];
        var lines = parts.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return lines.Count == 0 ? string.Empty : string.Join("\n\n", lines);
    }

    /// <summary>The content's text with the layout's text footer under it (the engine adds its own lines after this).</summary>
    public static string WrapText(string text, LibraryLayout layout) =>
        TextFooter(layout) is { Length: > 0 } footer ? $"{text.TrimEnd()}\n\n{footer}\n" : text;

    private static void AppendParagraph(StringBuilder sb, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        sb.Append("<p style=\"margin:0 0 8px 0;\">").Append(string.Join("<br>", text.Split('\n').Select(Encode))).Append("</p>\n");
    }

    /// <summary>The renderer's own escaping (&amp; &lt; &gt; " '), so library data reads exactly like template values.</summary>
    private static string Encode(string value) => WebUtility.HtmlEncode(value);

    private static bool StartsTag(string html, int at, string tag) =>
        string.Compare(html, at, tag, 0, tag.Length, StringComparison.OrdinalIgnoreCase) == 0
        && (at + tag.Length == html.Length || html[at + tag.Length] is '>' or ' ' or '\t' or '\r' or '\n');

    private static bool BodyTag(string html)
    {
        for (var i = html.IndexOf("<body", StringComparison.OrdinalIgnoreCase); i >= 0; i = html.IndexOf("<body", i + 5, StringComparison.OrdinalIgnoreCase))
        {
            if (StartsTag(html, i, "<body"))
            {
                return true;
            }
        }

        return false;
    }
}
