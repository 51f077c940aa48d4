using System.Text;
using Comms.Common;
using Comms.Scenarios;
using Stubble.Core.Parser;
using Stubble.Core.Tokens;

namespace Comms.Templates;

/// <summary>
/// Everything checked before a template is saved or previewed as a draft: size, syntax (with line and
/// column), variables against each scenario the template is used by, and no unescaped output in HTML.
/// </summary>
public static class TemplateValidator
{
    public const int MaxSubjectLength = 200;
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// Sections (and inverted sections) inside one another. The deepest model is three (an order's lines
    /// inside the order, a value inside a line); each nested list multiplies the output, so depth is bounded
    /// here and the output at render time (<see cref="RenderBudget"/>).
    /// </summary>
    public const int MaxSectionDepth = 8;

    private static readonly InstanceMustacheParser Parser = new();

    public static void Validate(TemplateContent content, IReadOnlyCollection<ScenarioKey> usedBy, ValidationErrors errors, string prefix = "")
    {
        var scenarios = usedBy.Select(k => k.Scenario).Distinct().ToList();
        Text.Required(content.Subject, Field(prefix, "subject"), MaxSubjectLength, errors);
        ValidateBody(content.Html, Field(prefix, "html"), errors);
        ValidateBody(content.Text, Field(prefix, "text"), errors);
        if (!errors.IsEmpty)
        {
            return;
        }

        ValidatePart(content.Subject, TemplatePart.Subject, Field(prefix, "subject"), scenarios, errors);
        ValidatePart(content.Html, TemplatePart.Html, Field(prefix, "html"), scenarios, errors);
        ValidatePart(content.Text, TemplatePart.Text, Field(prefix, "text"), scenarios, errors);
    }

    /// <summary>Content mode's formatted text: Mustache checked under the HTML body's rules (escaped output only), positions in the source.</summary>
    public static void ValidateSource(string source, string field, IReadOnlyCollection<Scenario> scenarios, ValidationErrors errors) =>
        ValidatePart(source, TemplatePart.Html, field, [.. scenarios], errors);

    private static void ValidateBody(string? body, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            errors.Add(field, "Required.");
        }
        else if (Encoding.UTF8.GetByteCount(body) > MaxBodyBytes)
        {
            errors.Add(field, $"At most {MaxBodyBytes / 1024} KiB (UTF-8).");
        }
    }

    private static void ValidatePart(string source, TemplatePart part, string field, List<Scenario> scenarios, ValidationErrors errors)
    {
        // Stubble's parser never returns from "{{= =}}" (empty delimiters), so a saved template could hang a
        // worker. Changing delimiters buys authors nothing here; refuse it before the text reaches the parser.
        var setDelimiter = MustacheSyntaxError.FindSetDelimiter(source);
        if (setDelimiter >= 0)
        {
            var (line, column) = MustacheSyntaxError.LineAndColumn(source, setDelimiter);
            errors.Add(field, $"Line {line}, column {column}: changing delimiters ({{{{=<% %>=}}}}) is not supported; use {{{{ and }}}}.");
            return;
        }

        MustacheTemplate parsed;
        try
        {
            parsed = Parser.Parse(source);
        }
        catch (Exception e) when (e is Stubble.Core.Exceptions.StubbleException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            errors.Add(field, MustacheSyntaxError.Describe(source, e.Message));
            return;
        }

        if (TooDeep(parsed) is { } tooDeep)
        {
            var (line, column) = MustacheSyntaxError.LineAndColumn(source, tooDeep.StartPosition);
            errors.Add(field, $"Line {line}, column {column}: section '{tooDeep.SectionName.Trim()}' is nested more than {MaxSectionDepth} sections deep; at most {MaxSectionDepth} are allowed.");
            return;
        }

        foreach (var scenario in scenarios)
        {
            var walker = new Walker(source, part, field, ScenarioKey.Kebab(scenario), errors);
            walker.Walk(parsed, [ScenarioCatalogue.Get(scenario).Variables]);
        }
    }

    /// <summary>The first section opened deeper than <see cref="MaxSectionDepth"/>, found without recursion.</summary>
    private static SectionInfo? TooDeep(MustacheTemplate parsed)
    {
        var open = new Stack<(BlockToken Block, int Depth)>();
        open.Push((parsed, 0));
        while (open.Count > 0)
        {
            var (block, depth) = open.Pop();
            for (var i = block.Children.Count - 1; i >= 0; i--)
            {
                var section = block.Children[i] switch
                {
                    SectionToken s => new SectionInfo(s, s.SectionName, s.StartPosition),
                    InvertedSectionToken s => new SectionInfo(s, s.SectionName, s.StartPosition),
                    _ => null,
                };
                if (section is null)
                {
                    continue;
                }

                if (depth + 1 > MaxSectionDepth)
                {
                    return section;
                }

                open.Push((section.Block, depth + 1));
            }
        }

        return null;
    }

    private sealed record SectionInfo(BlockToken Block, string SectionName, int StartPosition);

    private static string Field(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    /// <summary>Follows Mustache's name lookup: first segment from the innermost section outwards, the rest by descent.</summary>
    private sealed class Walker(string source, TemplatePart part, string field, string scenario, ValidationErrors errors)
    {
        private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

        public void Walk(BlockToken block, List<VariableNode> scopes)
        {
            foreach (var token in block.Children)
            {
                switch (token)
                {
                    case InterpolationToken tag:
                        var name = tag.Content.ToString().Trim();
                        if (!tag.EscapeResult && part == TemplatePart.Html)
                        {
                            Report(tag.TagStartPosition, $"'{name}' is inserted without HTML escaping ({{{{{{ }}}}}} or {{{{& }}}}); use {{{{{name}}}}} so values show as text.");
                        }

                        Resolve(name, tag.TagStartPosition, scopes);
                        break;
                    case SectionToken section:
                        var node = Resolve(section.SectionName.Trim(), section.StartPosition, scopes);
                        Walk(section, [.. scopes, node ?? VariableNode.Leaf]);
                        break;
                    case InvertedSectionToken inverted:
                        Resolve(inverted.SectionName.Trim(), inverted.StartPosition, scopes);
                        Walk(inverted, scopes);
                        break;
                    case PartialToken partial:
                        Report(partial.TagStartPosition, $"Partials ({{{{> {partial.Content.ToString().Trim()}}}}}) are not supported; write the text in the template.");
                        break;
                }
            }
        }

        private VariableNode? Resolve(string name, int position, List<VariableNode> scopes)
        {
            if (name == ".")
            {
                return scopes[^1];
            }

            var segments = name.Split('.');
            if (name.Length == 0 || segments.Any(s => s.Length == 0))
            {
                Report(position, $"'{{{{{name}}}}}' is not a valid variable name.");
                return null;
            }

            for (var i = scopes.Count - 1; i >= 0; i--)
            {
                if (scopes[i].Children.TryGetValue(segments[0], out var node))
                {
                    foreach (var segment in segments.Skip(1))
                    {
                        if (!node.Children.TryGetValue(segment, out node))
                        {
                            return Unknown(name, position);
                        }
                    }

                    return node;
                }
            }

            return Unknown(name, position);
        }

        private VariableNode? Unknown(string name, int position)
        {
            if (_reported.Add(name))
            {
                Report(position, $"Unknown variable '{name}' for scenario '{scenario}'. GET /api/scenarios lists each scenario's variables.");
            }

            return null;
        }

        private void Report(int position, string message)
        {
            var (line, column) = MustacheSyntaxError.LineAndColumn(source, position);
            errors.Add(field, $"Line {line}, column {column}: {message}");
        }
    }
}
