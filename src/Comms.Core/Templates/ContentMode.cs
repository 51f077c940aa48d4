using Comms.Common;
using Comms.Scenarios;

namespace Comms.Templates;

/// <summary>
/// The two ways a template's HTML body is written: by hand ("html") or as formatted text ("content") that
/// <see cref="ContentMarkup"/> turns into HTML here, on the server, before the usual validation. Errors in content
/// mode point at the line and column of the source, under the field "source".
/// </summary>
public static class ContentMode
{
    public const string Html = "html";
    public const string Content = "content";

    /// <summary>The content as it is stored: checked in full, with content mode's bodies made from its source.</summary>
    public static TemplateContent PrepareAndValidate(TemplateContent content, IReadOnlyCollection<ScenarioKey> usedBy, ValidationErrors errors, string prefix = "")
    {
        var mode = content.Mode ?? Html;
        if (mode == Html)
        {
            var written = content with { Mode = Html, Source = null, TextEdited = false };
            TemplateValidator.Validate(written, usedBy, errors, prefix);
            return written;
        }

        if (mode != Content)
        {
            errors.Add(Field(prefix, "mode"), "Use 'html' (write the HTML body) or 'content' (write formatted text; the HTML is made from it).");
            return content;
        }

        var sourceField = Field(prefix, "source");
        var source = content.Source;
        if (string.IsNullOrWhiteSpace(source))
        {
            errors.Add(sourceField, "Required.");
            return content;
        }

        if (source.Length > ContentMarkup.MaxSourceChars)
        {
            errors.Add(sourceField, $"At most {ContentMarkup.MaxSourceChars} characters.");
            return content;
        }

        var scenarios = usedBy.Select(k => k.Scenario).Distinct().ToList();
        var own = new ValidationErrors();
        TemplateValidator.ValidateSource(source, sourceField, scenarios, own);
        var (html, text) = ContentMarkup.Convert(source, sourceField, own, list => scenarios.All(s => HasList(s, list)));
        var prepared = content with { Html = html, Text = content.TextEdited ? content.Text : text, Source = source };
        if (own.IsEmpty)
        {
            // The made HTML is checked like any other (it can only fail where the source already would, or on size).
            TemplateValidator.Validate(prepared, usedBy, own, prefix);
        }

        errors.AddRange(own, f => f == Field(prefix, "html") ? sourceField : f);
        return prepared;
    }

    private static bool HasList(Scenario scenario, string path)
    {
        var node = ScenarioCatalogue.Get(scenario).Variables;
        foreach (var segment in path.Split('.'))
        {
            if (!node.Children.TryGetValue(segment, out node))
            {
                return false;
            }
        }

        return node.IsList;
    }

    private static string Field(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";
}
