using System.Net;

namespace Comms.Templates;

/// <summary>One step of a <see cref="RenderPlan"/>; immutable apart from the member caches in its names.</summary>
internal abstract class PlanNode
{
    public abstract void Write(RenderContext context);

    protected static void WriteAll(PlanNode[] nodes, RenderContext context)
    {
        foreach (var node in nodes)
        {
            node.Write(context);
        }
    }
}

/// <summary>Template text between tags, with Stubble's standalone-line indentation already applied.</summary>
internal sealed class TextNode(string text) : PlanNode
{
    public override void Write(RenderContext context)
    {
        context.Budget.Step();
        context.Write(text);
    }
}

/// <summary>{{name}} (HTML-encoded when the context asks) or {{{name}}} / {{&amp; name}} (never encoded).</summary>
internal sealed class ValueNode(MemberPath path, bool escape) : PlanNode
{
    public override void Write(RenderContext context)
    {
        context.Budget.Step();
        var text = MustacheValues.Text(path.Lookup(context.Views));
        var shown = context.HtmlEncode && escape ? WebUtility.HtmlEncode(text) : text;
        if (text is not null && context.Hidden?.Contains(text) == true)
        {
            context.Write(shown, ModelSecrets.Mask);
            return;
        }

        context.Write(shown);
    }
}

/// <summary>{{#name}}: skipped when false, repeated per element of a list, else rendered once inside the value.</summary>
internal sealed class SectionNode(MemberPath path, PlanNode[] children) : PlanNode
{
    public override void Write(RenderContext context)
    {
        context.Budget.Step();
        var value = path.Lookup(context.Views);
        if (!MustacheValues.IsTruthy(value))
        {
            return;
        }

        if (MustacheValues.AsList(value) is { } list)
        {
            foreach (var element in list)
            {
                WriteInside(element, context);
            }
        }
        else
        {
            WriteInside(value, context);
        }
    }

    private void WriteInside(object? view, RenderContext context)
    {
        context.Budget.Step();
        context.Views.Push(view);
        WriteAll(children, context);
        context.Views.Pop();
    }
}

/// <summary>{{^name}}: rendered only when the value is false, in the same views.</summary>
internal sealed class InvertedSectionNode(MemberPath path, PlanNode[] children) : PlanNode
{
    public override void Write(RenderContext context)
    {
        context.Budget.Step();
        if (!MustacheValues.IsTruthy(path.Lookup(context.Views)))
        {
            WriteAll(children, context);
        }
    }
}
