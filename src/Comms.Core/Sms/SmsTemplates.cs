using Comms.Scenarios;
using Comms.Templates;

namespace Comms.Sms;

/// <summary>
/// The shipped SMS text per scenario (Mustache, plain text, the scenario's own email model), rendered like an
/// email's text part: nothing escaped, then kept on one line and cut to <see cref="SmsText.MaxSegments"/> segments.
/// A scenario without one here cannot fall back to SMS (the library settings refuse it).
/// </summary>
public static class SmsTemplates
{
    private static readonly ShippedTexts Defaults = new("Comms.Sms.Defaults", "sms", "SMS");

    public static IEnumerable<Scenario> Scenarios => Defaults.Scenarios;

    public static bool Has(Scenario scenario) => Defaults.Has(scenario);

    public static string DefaultFor(Scenario scenario) => Defaults.For(scenario);

    /// <summary>The text to send and the text to log (secrets hidden), with its length on the wire.</summary>
    public static RenderedSms Render(TemplateRenderer renderer, string template, TemplateModel model)
    {
        var rendered = renderer.RenderContent(new TemplateContent { Subject = string.Empty, Text = template }, model);
        var text = SmsText.Bound(SmsText.OneLine(rendered.Text));
        var forLog = rendered.Redacted is { } redacted ? SmsText.Bound(SmsText.OneLine(redacted.Text)) : text;
        return new RenderedSms(text, forLog, SmsText.Measure(text));
    }
}

/// <summary>One rendered SMS: what is sent, what the log may show, and its encoding and segments.</summary>
public sealed record RenderedSms(string Text, string ForLog, SmsLength Length);
