using System.Net;
using System.Text.RegularExpressions;

namespace Comms.Tests.Security;

/// <summary>
/// The elements and attribute names of an HTML document, ignoring text and attribute values. Escaped data
/// can only ever be text or a value, so a rendered email has no element or attribute its template lacks;
/// an injected &lt;script&gt;, an onerror= or a broken-out attribute shows up as a new one.
/// </summary>
public static partial class HtmlShape
{
    /// <summary>"p[title]", "/p", "a[href,style]": every distinct tag in the document.</summary>
    public static IReadOnlySet<string> Tags(string html) =>
        Tag().Matches(html).Select(m => Signature(m)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every href, decoded: each must be a web or mail link, never javascript: or data:.</summary>
    public static IEnumerable<string> Links(string html) =>
        Tag().Matches(html)
            .SelectMany(m => Attribute().Matches(m.Groups["attrs"].Value))
            .Where(a => a.Groups["name"].Value.Equals("href", StringComparison.OrdinalIgnoreCase))
            .Select(a => WebUtility.HtmlDecode(a.Groups["value"].Value.Trim('"', '\'')));

    /// <summary>'&lt;' characters that open neither a tag nor the doctype: escaped text never has one.</summary>
    public static int StrayOpenings(string html)
    {
        var tagStarts = Tag().Matches(html).Select(m => m.Index).ToHashSet();
        var stray = 0;
        for (var i = html.IndexOf('<', StringComparison.Ordinal); i >= 0; i = html.IndexOf('<', i + 1))
        {
            if (!tagStarts.Contains(i) && string.Compare(html, i, "<!DOCTYPE html>", 0, 15, StringComparison.OrdinalIgnoreCase) != 0)
            {
                stray++;
            }
        }

        return stray;
    }

    private static string Signature(Match tag)
    {
        var attributes = Attribute().Matches(tag.Groups["attrs"].Value)
            .Select(a => a.Groups["name"].Value.ToLowerInvariant())
            .Order(StringComparer.Ordinal);
        return $"{tag.Groups["close"].Value}{tag.Groups["name"].Value.ToLowerInvariant()}[{string.Join(',', attributes)}]";
    }

    [GeneratedRegex("""<(?<close>/?)(?<name>[A-Za-z][A-Za-z0-9-]*)(?<attrs>(?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?>""")]
    private static partial Regex Tag();

    [GeneratedRegex("""(?<name>[^\s"'<>/=]+)(?:\s*=\s*(?<value>"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")]
    private static partial Regex Attribute();
}
