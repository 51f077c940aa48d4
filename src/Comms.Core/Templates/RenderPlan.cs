using System.Text;
using Stubble.Core.Tokens;

namespace Comms.Templates;

/// <summary>
/// Stubble parses; this renders. Stubble's own renderer allocated a context with its own lookup cache per
/// section and list element and tried every value getter per name. A plan is the parsed template compiled
/// once into what a render needs: text between tags joined into one
/// string (Stubble's standalone-line indentation applied), names split at their dots, sections holding their
/// children. Rendering the plan gives exactly what Stubble's renderer gives for our models (a test renders
/// every default and hostile templates with both); partials and lambdas are refused by the validator, so
/// they are not supported here. A plan is immutable apart from its member caches and safe to share.
/// </summary>
internal sealed class RenderPlan
{
    private readonly PlanNode[] _nodes;

    /// <summary>The last output's length, so the next render's buffer starts big enough; a hint, never the output.</summary>
    private int _lengthHint;

    private RenderPlan(PlanNode[] nodes, int textLength)
    {
        _nodes = nodes;
        _lengthHint = textLength;
    }

    public static RenderPlan Compile(MustacheTemplate template)
    {
        var textLength = 0;
        return new RenderPlan(CompileNodes(template.Children, ref textLength, depth: 0), textLength);
    }

    public string Render(object model, bool htmlEncode) => Render(model, htmlEncode, new RenderBudget());

    /// <summary>
    /// Renders within <paramref name="budget"/> (shared by an email's parts); throws <see cref="TemplateRenderLimitException"/>
    /// past it.
    /// </summary>
    public string Render(object model, bool htmlEncode, RenderBudget budget)
    {
        using var context = RenderAll(model, htmlEncode, budget, hidden: null);
        return context.Output.ToString();
    }

    /// <summary>
    /// Renders once into two texts: as the reader sees it, and the redacted copy with each value in
    /// <paramref name="hidden"/> written as <see cref="ModelSecrets.Mask"/> (the rest is the same text).
    /// </summary>
    public (string Shown, string Redacted) RenderWithRedacted(object model, bool htmlEncode, RenderBudget budget, IReadOnlySet<string> hidden)
    {
        using var context = RenderAll(model, htmlEncode, budget, hidden);
        return (context.Output.ToString(), context.Redacted!.ToString());
    }

    private RenderContext RenderAll(object model, bool htmlEncode, RenderBudget budget, IReadOnlySet<string>? hidden)
    {
        var context = new RenderContext(model, htmlEncode, Math.Min(Volatile.Read(ref _lengthHint), RenderBudget.MaxOutputChars), budget, hidden);
        try
        {
            foreach (var node in _nodes)
            {
                node.Write(context);
            }
        }
        catch
        {
            context.Dispose();
            throw;
        }

        Volatile.Write(ref _lengthHint, context.Output.Length);
        return context;
    }

    private static PlanNode[] CompileNodes(List<MustacheToken> tokens, ref int textLength, int depth)
    {
        if (depth > RenderBudget.MaxDepth)
        {
            throw new TemplateRenderLimitException($"The template nests sections more than {RenderBudget.MaxDepth} deep; save it again to see where (at most {TemplateValidator.MaxSectionDepth} are allowed).");
        }

        var nodes = new List<PlanNode>();
        var text = new StringBuilder();
        foreach (var token in tokens)
        {
            switch (token)
            {
                case LiteralToken literal:
                    foreach (var slice in literal.Content)
                    {
                        // Stubble indents every non-blank slice of an indented literal, not only the first.
                        if (literal.Indent > 0 && !slice.IsEmptyOrWhitespace())
                        {
                            text.Append(' ', literal.Indent);
                        }

                        text.Append(slice.Text, slice.Start, slice.Length);
                    }

                    break;
                case InterpolationToken interpolation:
                    // The indentation comes before the value whatever the value is, so it is template text.
                    text.Append(' ', interpolation.Indent);
                    AddText(nodes, text, ref textLength);
                    nodes.Add(new ValueNode(MemberPath.Parse(interpolation.Content.ToString()), interpolation.EscapeResult));
                    break;
                case InvertedSectionToken inverted:
                    AddText(nodes, text, ref textLength);
                    nodes.Add(new InvertedSectionNode(MemberPath.Parse(inverted.SectionName), CompileNodes(inverted.Children, ref textLength, depth + 1)));
                    break;
                case SectionToken section:
                    AddText(nodes, text, ref textLength);
                    nodes.Add(new SectionNode(MemberPath.Parse(section.SectionName), CompileNodes(section.Children, ref textLength, depth + 1)));
                    break;
                case CommentToken:
                    break;
                default:
                    throw new NotSupportedException($"Template token {token.GetType().Name} is not supported; templates are validated before rendering.");
            }
        }

        AddText(nodes, text, ref textLength);
        return [.. nodes];
    }

    private static void AddText(List<PlanNode> nodes, StringBuilder text, ref int textLength)
    {
        if (text.Length == 0)
        {
            return;
        }

        nodes.Add(new TextNode(text.ToString()));
        textLength += text.Length;
        text.Clear();
    }
}
