using System.Net;
using System.Text;
using Comms.Common;

namespace Comms.Templates;

/// <summary>
/// Content mode: turns the formatted text staff write into the HTML and plain-text bodies of a template. A small,
/// fixed subset, line by line, in one pass (no backtracking, so the work is linear in the text):
/// paragraphs (blank line between; a single line break is kept), "# ", "## ", "### " headings, "- " or "* " bullet
/// lists, **bold**, *italic* or _italic_, [links](https://…), "[[table items]]" for an item table, and Mustache
/// tags, which pass through untouched (a line holding only section tags opens or closes a section around blocks).
/// Everything else is text and is HTML-escaped: no HTML written here reaches the email as markup.
/// </summary>
public static class ContentMarkup
{
    /// <summary>Half a body: the HTML made from it (styles on each block) still fits the 64 KiB a body may hold.</summary>
    public const int MaxSourceChars = 32 * 1024;

    private const string Paragraph = "<p style=\"margin:0 0 16px 0;\">";
    private const string List = "<ul style=\"margin:0 0 16px 0; padding-left:24px;\">";

    private static readonly string[] HeadingStyles =
    [
        "font-size:22px; line-height:1.3; margin:0 0 16px 0; color:#1f2933;",
        "font-size:19px; line-height:1.3; margin:0 0 12px 0; color:#1f2933;",
        "font-size:17px; line-height:1.3; margin:0 0 8px 0; color:#1f2933;",
    ];

    private enum Block
    {
        None,
        Paragraph,
        List,
    }

    /// <summary>The HTML and text bodies, or errors (each "Line n, column m: …") under <paramref name="field"/>.</summary>
    /// <param name="hasList">Whether every scenario the template is for has this list ("items"), for "[[table …]]".</param>
    public static (string Html, string Text) Convert(string source, string field, ValidationErrors errors, Func<string, bool>? hasList = null)
    {
        var html = new StringBuilder(source.Length * 2);
        var text = new StringBuilder(source.Length);
        var open = Block.None;
        var pending = new List<string>();
        var lines = source.ReplaceLineEndings("\n").Split('\n');

        void Close()
        {
            html.Append(open switch { Block.Paragraph => "</p>\n", Block.List => "</ul>\n", _ => string.Empty });
            open = Block.None;
        }

        // Section-only lines wait for the next line: before a list item they go inside the list (so one <ul> holds every
        // element), before text in a paragraph they stay inline, otherwise they stand between blocks.
        void Flush(Block next)
        {
            if (pending.Count == 0)
            {
                return;
            }

            if (next == Block.List)
            {
                if (open != Block.List)
                {
                    Close();
                    html.Append(List).Append('\n');
                    open = Block.List;
                }
            }
            else if (!(open == Block.List && next == Block.None) && !(open == Block.Paragraph && next == Block.Paragraph))
            {
                Close();
            }

            foreach (var tags in pending)
            {
                html.Append(tags).Append('\n');
            }

            pending.Clear();
        }

        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            var number = n + 1;
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                Flush(Block.None);
                Close();
                text.Append('\n');
                continue;
            }

            if (IsSectionTagsOnly(trimmed))
            {
                pending.Add(trimmed);
                text.Append(trimmed).Append('\n');
                continue;
            }

            if (trimmed.StartsWith("[[", StringComparison.Ordinal))
            {
                Flush(Block.None);
                Close();
                var name = trimmed.EndsWith("]]", StringComparison.Ordinal) && trimmed.StartsWith("[[table ", StringComparison.Ordinal)
                    ? trimmed[8..^2].Trim()
                    : null;
                if (name is null || !ContentTables.All.TryGetValue(name, out var table))
                {
                    errors.Add(field, $"Line {number}, column {line.IndexOf('[', StringComparison.Ordinal) + 1}: use an item table as [[table items]], [[table order.lines]], [[table charges.lines]] or [[table renewals.items]].");
                    continue;
                }

                if (hasList is not null && !hasList(table.List))
                {
                    errors.Add(field, $"Line {number}, column {line.IndexOf('[', StringComparison.Ordinal) + 1}: this scenario has no '{table.List}' list to make a table of; GET /api/scenarios lists its variables.");
                    continue;
                }

                html.Append(ContentTables.Html(table)).Append('\n');
                text.Append(ContentTables.Text(table)).Append('\n');
                continue;
            }

            var level = HeadingLevel(trimmed);
            if (level > 0)
            {
                Flush(Block.None);
                Close();
                var heading = trimmed[(level + 1)..].Trim();
                html.Append("<h").Append(level).Append(" style=\"").Append(HeadingStyles[level - 1]).Append("\">");
                Inline(heading, number, ColumnOf(line, heading), field, errors, html, text, Allow.All);
                html.Append("</h").Append(level).Append(">\n");
                text.Append('\n');
                continue;
            }

            if (trimmed.Length > 1 && trimmed[0] is '-' or '*' && trimmed[1] == ' ')
            {
                Flush(Block.List);
                if (open != Block.List)
                {
                    Close();
                    html.Append(List).Append('\n');
                    open = Block.List;
                }

                var item = trimmed[2..].Trim();
                html.Append("<li>");
                text.Append("- ");
                Inline(item, number, ColumnOf(line, item), field, errors, html, text, Allow.All);
                html.Append("</li>\n");
                text.Append('\n');
                continue;
            }

            Flush(Block.Paragraph);
            if (open == Block.Paragraph)
            {
                html.Append("<br>\n");
            }
            else
            {
                Close();
                html.Append(Paragraph);
                open = Block.Paragraph;
            }

            Inline(trimmed, number, ColumnOf(line, trimmed), field, errors, html, text, Allow.All);
            text.Append('\n');
        }

        Flush(Block.None);
        Close();
        return (html.ToString().TrimEnd('\n'), text.ToString().Trim('\n') + "\n");
    }

    [Flags]
    private enum Allow
    {
        None = 0,
        Link = 1,
        Italic = 2,
        Bold = 4,
        All = Link | Italic | Bold,
    }

    /// <summary>
    /// One line's inline formatting. Each marker is looked for once: a marker with no closing partner is text, and
    /// once a search finds none, none is searched for again on this line, so a line of many "**" costs one scan.
    /// </summary>
    private static void Inline(string s, int line, int column, string field, ValidationErrors errors, StringBuilder html, StringBuilder text, Allow allow)
    {
        var noBold = false;
        var noStar = false;
        var noUnderscore = false;
        var noLink = false;
        var plain = new StringBuilder();

        void FlushText()
        {
            html.Append(WebUtility.HtmlEncode(plain.ToString()));
            text.Append(plain);
            plain.Clear();
        }

        var i = 0;
        while (i < s.Length)
        {
            if (string.CompareOrdinal(s, i, "{{", 0, 2) == 0)
            {
                // A Mustache tag, copied as it is (the validator has checked it, escaping and all).
                var close = s.IndexOf("}}", i + 2, StringComparison.Ordinal);
                var end = close < 0 ? s.Length : close + 2;
                if (end < s.Length && s[end] == '}' && s[i + 2] == '{')
                {
                    end++;
                }

                FlushText();
                html.Append(s, i, end - i);
                text.Append(s, i, end - i);
                i = end;
                continue;
            }

            if (allow.HasFlag(Allow.Bold) && !noBold && string.CompareOrdinal(s, i, "**", 0, 2) == 0)
            {
                var close = s.IndexOf("**", i + 2, StringComparison.Ordinal);
                if (close > i + 2)
                {
                    FlushText();
                    html.Append("<strong>");
                    Inline(s[(i + 2)..close], line, column + i + 2, field, errors, html, text, Allow.Link | Allow.Italic);
                    html.Append("</strong>");
                    i = close + 2;
                    continue;
                }

                noBold |= close < 0;
            }

            if (allow.HasFlag(Allow.Italic) && s[i] is '*' or '_' && (s[i] == '*' ? !noStar : !noUnderscore)
                && i + 1 < s.Length && !char.IsWhiteSpace(s[i + 1]) && (s[i] == '*' || i == 0 || !char.IsLetterOrDigit(s[i - 1])))
            {
                var close = s.IndexOf(s[i], i + 1);
                if (close > i + 1)
                {
                    FlushText();
                    html.Append("<em>");
                    Inline(s[(i + 1)..close], line, column + i + 1, field, errors, html, text, Allow.Link);
                    html.Append("</em>");
                    i = close + 1;
                    continue;
                }

                if (close < 0)
                {
                    noStar |= s[i] == '*';
                    noUnderscore |= s[i] == '_';
                }
            }

            if (allow.HasFlag(Allow.Link) && !noLink && s[i] == '[')
            {
                var middle = s.IndexOf("](", i + 1, StringComparison.Ordinal);
                var close = middle < 0 ? -1 : s.IndexOf(')', middle + 2);
                if (close > 0)
                {
                    var label = s[(i + 1)..middle];
                    var url = s[(middle + 2)..close].Trim();
                    FlushText();
                    if (!IsAllowedUrl(url))
                    {
                        errors.Add(field, $"Line {line}, column {column + middle + 2}: a link goes to an https://, http:// or mailto: address, or to {{{{reset.link}}}}; '{Shorten(url)}' is neither.");
                    }

                    html.Append("<a href=\"").Append(url.StartsWith("{{", StringComparison.Ordinal) ? url : WebUtility.HtmlEncode(url)).Append("\">");
                    Inline(label, line, column + i + 1, field, errors, html, text, Allow.None);
                    html.Append("</a>");
                    text.Append(" (").Append(url).Append(')');
                    i = close + 1;
                    continue;
                }

                noLink = true;
            }

            plain.Append(s[i]);
            i++;
        }

        FlushText();
    }

    /// <summary>Web and mail links, or one variable that is a link the engine makes (reset.link); never javascript: or data:.</summary>
    private static bool IsAllowedUrl(string url)
    {
        if (url.StartsWith("{{", StringComparison.Ordinal) && url.EndsWith("}}", StringComparison.Ordinal) && !url.StartsWith("{{{", StringComparison.Ordinal))
        {
            var name = url[2..^2].Trim();
            return name.EndsWith(".link", StringComparison.Ordinal) && name.IndexOfAny(['{', '}', '#', '^', '/', '&', '!', '>', '=']) < 0;
        }

        return url.Length <= 2000
            && (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            && !url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\'' or '<' or '>' or '{' or '}');
    }

    /// <summary>"{{#items}}", "{{/items}}{{^items}}": a line of section tags only, with nothing else on it.</summary>
    private static bool IsSectionTagsOnly(string line)
    {
        var i = 0;
        while (i < line.Length)
        {
            if (string.CompareOrdinal(line, i, "{{", 0, 2) != 0 || i + 2 >= line.Length || line[i + 2] is not ('#' or '^' or '/'))
            {
                return false;
            }

            var close = line.IndexOf("}}", i + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            i = close + 2;
            while (i < line.Length && line[i] == ' ')
            {
                i++;
            }
        }

        return true;
    }

    private static int HeadingLevel(string line)
    {
        var level = 0;
        while (level < line.Length && line[level] == '#')
        {
            level++;
        }

        return level is >= 1 and <= 3 && level < line.Length && line[level] == ' ' ? level : 0;
    }

    private static int ColumnOf(string line, string part) => Math.Max(0, line.IndexOf(part, StringComparison.Ordinal)) + 1;

    private static string Shorten(string value) => value.Length <= 40 ? value : string.Concat(value.AsSpan(0, 39), "…");
}
