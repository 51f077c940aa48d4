using System.Globalization;
using System.Text.RegularExpressions;

namespace Comms.Templates;

/// <summary>
/// Turns Stubble's parse errors ("Unclosed Block 'x' at 42") into messages with a line and column a
/// template author can find. Stubble reports the end of the text for unclosed tags and sections, so those
/// point back at the opening tag instead.
/// </summary>
internal static partial class MustacheSyntaxError
{
    public static string Describe(string source, string stubbleMessage)
    {
        var match = StubbleMessage().Match(stubbleMessage);
        if (!match.Success)
        {
            return $"Line 1, column 1: the template could not be parsed ({stubbleMessage}).";
        }

        var position = int.Parse(match.Groups["position"].Value, CultureInfo.InvariantCulture);
        var name = match.Groups["name"].Value;
        var other = match.Groups["other"].Value;
        var (at, message) = match.Groups["kind"].Value switch
        {
            "Unclosed Block" => (OpeningOf(source, name, position), $"section '{name}' is opened but never closed with {{{{/{name}}}}}."),
            "Unopened Block" => (position, $"{{{{/{name}}}}} closes a section that was never opened."),
            "Unclosed Tag" => (LastIndexBefore(source, "{{", position), "a tag opened with {{ is never closed with }}."),
            _ when other.Length > 0 => (position, $"{{{{/{name}}}}} closes '{name}' while section '{other}' inside it is still open."),
            _ => (position, stubbleMessage),
        };
        var (line, column) = LineAndColumn(source, at);
        return $"Line {line}, column {column}: {message}";
    }

    public static (int Line, int Column) LineAndColumn(string source, int position)
    {
        position = Math.Clamp(position, 0, source.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < position; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, position - lineStart + 1);
    }

    /// <summary>Where the first set-delimiter tag ("{{=", "{{ =") starts, or -1.</summary>
    public static int FindSetDelimiter(string source)
    {
        var match = SetDelimiter().Match(source);
        return match.Success ? match.Index : -1;
    }

    private static int OpeningOf(string source, string name, int before)
    {
        var openings = Regex.Matches(source[..Math.Clamp(before, 0, source.Length)], @"\{\{\s*[#^]\s*" + Regex.Escape(name) + @"\s*\}\}");
        return openings.Count > 0 ? openings[^1].Index : before;
    }

    private static int LastIndexBefore(string source, string value, int before)
    {
        var end = Math.Clamp(before, 0, source.Length);
        var index = end == 0 ? -1 : source.LastIndexOf(value, end - 1, StringComparison.Ordinal);
        return index >= 0 ? index : before;
    }

    [GeneratedRegex(@"\{\{\s*=")]
    private static partial Regex SetDelimiter();

    [GeneratedRegex(@"^(?<kind>Unclosed Block|Unopened Block|Unclosed Tag|Cannot close Block)\s*(?:'(?<name>[^']*)')?\s*at (?<position>\d+)(?:\. There is already an unclosed Block '(?<other>[^']*)')?")]
    private static partial Regex StubbleMessage();
}
