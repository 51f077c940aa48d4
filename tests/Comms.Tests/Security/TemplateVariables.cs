using System.Text;
using System.Text.RegularExpressions;

namespace Comms.Tests.Security;

/// <summary>
/// Which model variables a template part shows, in the catalogue's notation ("items[].title"), and a template
/// that shows every text variable a scenario has, so fields no default uses (patron group, supplier name) are
/// tested too. Written for the tags templates here use: {{name}}, {{#section}}, {{^section}}, {{/section}}.
/// </summary>
public static partial class TemplateVariables
{
    /// <summary>The paths a part prints; names inside a list section resolve against its elements first.</summary>
    public static IReadOnlySet<string> Shown(string part, IReadOnlyCollection<string> scenarioPaths) =>
        InOrder(part, scenarioPaths).ToHashSet(StringComparer.Ordinal);

    /// <summary>The paths a part prints, in the order it prints them.</summary>
    public static IReadOnlyList<string> InOrder(string part, IReadOnlyCollection<string> scenarioPaths)
    {
        var shown = new List<string>();
        var lists = new Stack<string?>();
        foreach (Match tag in Tag().Matches(part))
        {
            var name = tag.Groups["name"].Value;
            switch (tag.Groups["kind"].Value)
            {
                case "#" or "^":
                    var list = Resolve(name + "[]", lists, scenarioPaths, prefixOnly: true);
                    lists.Push(list);
                    break;
                case "/":
                    lists.Pop();
                    break;
                default:
                    if (Resolve(name, lists, scenarioPaths, prefixOnly: false) is { } path)
                    {
                        shown.Add(path);
                    }

                    break;
            }
        }

        return shown;
    }

    /// <summary>
    /// Subject, HTML and text showing each path once: HTML in an element and in a quoted attribute, the two
    /// places an escaped value must stay text. List paths are repeated inside their list's section.
    /// </summary>
    public static (string Subject, string Html, string Text) ShowingEvery(IReadOnlyList<string> paths)
    {
        var subject = new StringBuilder();
        var html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<body>\n");
        var text = new StringBuilder();
        foreach (var group in paths.GroupBy(p => p.Contains("[].", StringComparison.Ordinal) ? p[..p.LastIndexOf("[].", StringComparison.Ordinal)] : string.Empty))
        {
            var names = group.Select(p => group.Key.Length == 0 ? p : p[(group.Key.Length + 3)..]).ToList();

            // "patrons[].items" opens {{#patrons}}{{#items}}: a list inside a list's elements.
            var lists = group.Key.Length == 0 ? [] : group.Key.Split("[].");
            var open = string.Concat(lists.Select(l => $"{{{{#{l}}}}}"));
            var close = string.Concat(lists.Reverse().Select(l => $"{{{{/{l}}}}}"));

            // The subject has room for 200 characters: it shows the top-level and single-list paths, which carry
            // every field a header could be injected with; the recipient-centred lists repeat those fields.
            if (group.Key is not ("patrons" or "classes") && lists.Length <= 1)
            {
                subject.Append(open).AppendJoin(' ', names.Select(n => $"{{{{{n}}}}}")).Append(close).Append(' ');
            }

            html.Append(open).Append('\n');
            text.Append(open).Append('\n');
            foreach (var name in names)
            {
                html.Append($"<p title=\"{{{{{name}}}}}\">{{{{{name}}}}}</p>\n");
                text.Append($"{{{{{name}}}}}\n");
            }

            html.Append(close).Append('\n');
            text.Append(close).Append('\n');
        }

        html.Append("</body>\n</html>\n");
        return (subject.ToString().Trim(), html.ToString(), text.ToString());
    }

    private static string? Resolve(string name, Stack<string?> lists, IReadOnlyCollection<string> scenarioPaths, bool prefixOnly)
    {
        foreach (var list in lists.Where(l => l is not null))
        {
            var candidate = $"{list}.{name}";
            if (Known(candidate, scenarioPaths, prefixOnly))
            {
                return candidate;
            }
        }

        return Known(name, scenarioPaths, prefixOnly) ? name : null;
    }

    private static bool Known(string path, IReadOnlyCollection<string> scenarioPaths, bool prefixOnly) =>
        prefixOnly ? scenarioPaths.Any(p => p.StartsWith(path + ".", StringComparison.Ordinal)) : scenarioPaths.Contains(path);

    [GeneratedRegex(@"\{\{\{?\s*(?<kind>[#^/&]?)\s*(?<name>[A-Za-z0-9_.]+)\s*\}?\}\}")]
    private static partial Regex Tag();
}
