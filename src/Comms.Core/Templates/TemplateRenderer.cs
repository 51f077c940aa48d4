using System.Text;
using Comms.Layouts;
using Comms.Notices;
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

    /// <summary>Compiled templates kept; a library has a few dozen, so this covers many libraries.</summary>
    private const int PlanCacheSize = 2048;

    private readonly Func<string, RenderPlan> _planFor;

    /// <summary>Compiles each template text once (see <see cref="RenderPlanCache"/>).</summary>
    public TemplateRenderer()
    {
        _planFor = new RenderPlanCache(PlanCacheSize).For;
    }

    /// <summary>For the benchmark's baseline: parses with <paramref name="parser"/> and compiles on every render.</summary>
    internal TemplateRenderer(IMustacheParser parser)
    {
        _planFor = source => RenderPlan.Compile(parser.Parse(source));
    }

    /// <summary>
    /// Renders content that has passed <see cref="TemplateValidator"/>, as every saved template, draft preview
    /// and shipped default has: unvalidated text could bypass escaping or, with "{{= =}}", hang the parser.
    /// Stubble parses; our <see cref="RenderPlan"/> renders (see there why). The three parts share one
    /// <see cref="RenderBudget"/>; past it this throws <see cref="TemplateRenderLimitException"/>.
    /// Content that is not a whole HTML document is framed in the library's <paramref name="layout"/> (the neutral
    /// one when none is given), HTML and text; a whole document is sent as it is (<see cref="EmailLayout"/>).
    /// </summary>
    public RenderedEmail Render(TemplateContent content, TemplateModel model, LibraryLayout? layout = null, string language = DefaultTemplates.Language)
    {
        var email = RenderContent(content, model);
        if (EmailLayout.IsFullDocument(content.Html))
        {
            return email;
        }

        layout ??= LibraryLayout.Neutral;
        return email with
        {
            Html = EmailLayout.Wrap(email.Html, email.Subject, model.Library.Name, layout, language),
            Text = EmailLayout.WrapText(email.Text, layout),
            Redacted = email.Redacted is { } redacted
                ? redacted with
                {
                    Text = EmailLayout.WrapText(redacted.Text, layout),
                    Html = EmailLayout.Wrap(redacted.Html, redacted.Subject, model.Library.Name, layout, language),
                }
                : null,
        };
    }

    /// <summary>The template's own three parts, unframed: what Stubble would render (RenderPlanTests hold it to that).</summary>
    public RenderedEmail RenderContent(TemplateContent content, TemplateModel model)
    {
        // Null sections (a scenario's unused parts) look up as null, so {{#reservation}} is simply false.
        var budget = new RenderBudget();
        var subject = _planFor(content.Subject);
        var text = _planFor(content.Text);
        var html = _planFor(content.Html);

        // Secrets are marked in the model, so every route that renders gets the redacted copy for its logs; each part
        // is still rendered once, writing the redacted copy in the same pass.
        var secrets = ModelSecrets.Of(model);
        if (secrets.Count == 0)
        {
            return new RenderedEmail(
                OneLine(subject.Render(model, htmlEncode: false, budget)),
                html.Render(model, htmlEncode: true, budget),
                text.Render(model, htmlEncode: false, budget));
        }

        var (shownSubject, redactedSubject) = subject.RenderWithRedacted(model, htmlEncode: false, budget, secrets);
        var (shownHtml, redactedHtml) = html.RenderWithRedacted(model, htmlEncode: true, budget, secrets);
        var (shownText, redactedText) = text.RenderWithRedacted(model, htmlEncode: false, budget, secrets);
        return new RenderedEmail(OneLine(shownSubject), shownHtml, shownText)
        {
            Redacted = new RedactedEmail(OneLine(redactedSubject), redactedText, redactedHtml),
        };
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
