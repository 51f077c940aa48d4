using System.Text;
using Comms.Notices;
using Stubble.Core.Parser;
using Stubble.Core.Parser.Interfaces;

namespace Comms.Templates;

/// <summary>
/// Renders a template's three parts. Values are HTML-escaped in the HTML body only: escaping a subject or a
/// plain-text body would show "&amp;amp;" to the reader. The subject is then forced onto one line so data
/// can never add a header.
/// </summary>
public sealed class TemplateRenderer
{
    /// <summary>Longest subject sent; mail clients cut far shorter anyway.</summary>
    public const int MaxSubjectLength = 250;

    /// <summary>Parsed templates kept; a library has a few dozen, so this covers many libraries.</summary>
    private const uint ParsedTemplateCacheSize = 2048;

    private readonly IMustacheParser _parser;

    /// <summary>
    /// Caches parsed templates keyed by their source text, so a changed template (a new version) is parsed
    /// afresh and an unchanged one is never parsed twice.
    /// </summary>
    public TemplateRenderer()
        : this(new CachedMustacheParser(ParsedTemplateCacheSize))
    {
    }

    /// <summary>For the benchmark: <see cref="InstanceMustacheParser"/> parses on every render.</summary>
    internal TemplateRenderer(IMustacheParser parser)
    {
        _parser = parser;
    }

    /// <summary>
    /// Renders content that has passed <see cref="TemplateValidator"/>, as every saved template, draft preview
    /// and shipped default has: unvalidated text could bypass escaping or, with "{{= =}}", hang the parser.
    /// Stubble parses; <see cref="TokenTreeRenderer"/> renders the parsed tree (see there why).
    /// </summary>
    public RenderedEmail Render(TemplateContent content, TemplateModel model)
    {
        // Null sections (a scenario's unused parts) look up as null, so {{#reservation}} is simply false.
        return new RenderedEmail(
            OneLine(TokenTreeRenderer.Render(_parser.Parse(content.Subject), model, htmlEncode: false)),
            TokenTreeRenderer.Render(_parser.Parse(content.Html), model, htmlEncode: true),
            TokenTreeRenderer.Render(_parser.Parse(content.Text), model, htmlEncode: false));
    }

    /// <summary>Control characters (CR, LF, tab…) and Unicode line separators become spaces; runs collapse to one.</summary>
    public static string OneLine(string subject)
    {
        var sb = new StringBuilder(subject.Length);
        var pendingSpace = false;
        foreach (var c in subject)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c is '\u2028' or '\u2029')
            {
                pendingSpace = sb.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                sb.Append(' ');
                pendingSpace = false;
            }

            sb.Append(c);
        }

        return sb.Length <= MaxSubjectLength ? sb.ToString() : string.Concat(sb.ToString(0, MaxSubjectLength - 1), "…");
    }
}
