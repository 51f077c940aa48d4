using Comms.Scenarios;
using Comms.Templates;

namespace Comms.Print;

/// <summary>
/// The shipped print text per scenario (Mustache, plain text, the scenario's own email model): its first line is the
/// page's heading, the rest the letter. Offered for the same scenarios as SMS texts (the mandatory circulation notices and
/// reservation ready); never for a password reset, whose link is a secret that must not go on paper.
/// </summary>
public static class PrintTemplates
{
    /// <summary>The letter's text at most this long (a page holds about 3,500 characters at the printed size).</summary>
    public const int MaxBodyLength = 4000;

    public const int MaxHeadingLength = 80;

    private static readonly ShippedTexts Defaults = new("Comms.Print.Defaults", "print", "print");

    public static IEnumerable<Scenario> Scenarios => Defaults.Scenarios;

    public static bool Has(Scenario scenario) => Defaults.Has(scenario);

    public static string DefaultFor(Scenario scenario) => Defaults.For(scenario);

    /// <summary>
    /// Renders the letter; null when the model carries a secret (a reset link), which is never printed whatever the
    /// chain says. Nothing is escaped: the page is drawn as plain text.
    /// </summary>
    public static RenderedPrint? Render(TemplateRenderer renderer, string template, TemplateModel model)
    {
        var rendered = renderer.RenderContent(new TemplateContent { Subject = string.Empty, Text = template }, model);
        if (rendered.Redacted is not null)
        {
            return null;
        }

        var text = rendered.Text.Replace("\r", string.Empty, StringComparison.Ordinal).Trim('\n');
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        var heading = (newline < 0 ? text : text[..newline]).Trim();
        var body = newline < 0 ? string.Empty : text[(newline + 1)..].Trim('\n');
        return new RenderedPrint(Cut(heading, MaxHeadingLength), Cut(body, MaxBodyLength));
    }

    private static string Cut(string value, int max) => value.Length <= max ? value : value[..(max - 3)] + "...";
}

/// <summary>One rendered printed notice: the page's heading and the letter below it.</summary>
public sealed record RenderedPrint(string Heading, string Body);
