using Comms.Common;
using Comms.Scenarios;
using Comms.Templates;

namespace Comms.Tests.Templates;

public sealed class TemplateValidatorTests
{
    private static readonly ScenarioKey Overdue = new(Scenario.Overdue);

    private static IReadOnlyDictionary<string, string[]> Validate(TemplateContent content, params ScenarioKey[] usedBy)
    {
        var errors = new ValidationErrors();
        TemplateValidator.Validate(content, usedBy.Length == 0 ? [Overdue] : usedBy, errors);
        return errors.ToDictionary();
    }

    [Fact]
    public void Validate_GoodTemplate_HasNoErrors()
    {
        var html = "<ul>{{#items}}<li>{{title}} for {{patron.name}} ({{.}})</li>{{/items}}</ul>{{^items}}none{{/items}}{{! comment }}";

        Assert.Empty(Validate(TemplateTestData.Content(html: html)));
    }

    [Fact]
    public void Validate_UnclosedSection_ReportsTheOpeningTagsLineAndColumn()
    {
        var errors = Validate(TemplateTestData.Content(html: "<p>Hello</p>\n  {{#items}}<li>{{title}}</li>\n<p>end</p>"));

        var message = Assert.Single(errors["html"]);
        Assert.StartsWith("Line 2, column 3:", message, StringComparison.Ordinal);
        Assert.Contains("'items'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CloseWithoutOpen_ReportsLineAndColumn()
    {
        var errors = Validate(TemplateTestData.Content(text: "a\nbc{{/items}}"));

        Assert.StartsWith("Line 2, column 3:", Assert.Single(errors["text"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnclosedTag_PointsAtIt()
    {
        var errors = Validate(TemplateTestData.Content(subject: "Hi {{patron.name"));

        Assert.StartsWith("Line 1, column 4:", Assert.Single(errors["subject"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownVariables_AreNamed()
    {
        var errors = Validate(TemplateTestData.Content(html: "{{patron.nmae}} {{reservation.title}} {{#items}}{{isbn}}{{/items}}"));

        var messages = string.Join("\n", errors["html"]);
        Assert.Contains("'patron.nmae'", messages, StringComparison.Ordinal);
        Assert.Contains("'reservation.title'", messages, StringComparison.Ordinal);
        Assert.Contains("'isbn'", messages, StringComparison.Ordinal);
        Assert.Equal(3, errors["html"].Length);
    }

    [Fact]
    public void Validate_ItemFieldOutsideItsSection_IsUnknown()
    {
        var errors = Validate(TemplateTestData.Content(text: "{{title}}"));

        Assert.Contains("'title'", Assert.Single(errors["text"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_VariableMissingFromOneOfTheScenariosUsedBy_IsUnknownForThatScenario()
    {
        var errors = Validate(TemplateTestData.Content(text: "{{escalation.level}}"), new ScenarioKey(Scenario.Escalation, 1), Overdue);

        Assert.Contains("'overdue'", Assert.Single(errors["text"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<p>{{{patron.name}}}</p>")]
    [InlineData("<p>{{& patron.name}}</p>")]
    public void Validate_UnescapedOutputInHtml_IsRejected(string html)
    {
        var errors = Validate(TemplateTestData.Content(html: html));

        Assert.Contains("without HTML escaping", Assert.Single(errors["html"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{=<% %>=}}<p><%{patron.name}%></p>")]
    [InlineData("<p>x</p>\n  {{= =}}")]
    [InlineData("{{ =| |=}}")]
    public void Validate_SetDelimiters_AreRejectedBeforeParsing(string html)
    {
        var errors = Validate(TemplateTestData.Content(html: html));

        Assert.Contains("changing delimiters", Assert.Single(errors["html"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TripleMustacheInText_IsAllowedBecauseTextIsNeverEscaped()
    {
        Assert.Empty(Validate(TemplateTestData.Content(text: "{{{patron.name}}}")));
    }

    [Fact]
    public void Validate_Partial_IsRejected()
    {
        var errors = Validate(TemplateTestData.Content(html: "{{> footer}}"));

        Assert.Contains("Partials", Assert.Single(errors["html"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_EmptySubject_IsRequired(string subject)
    {
        Assert.Equal(["Required."], Validate(TemplateTestData.Content(subject: subject))["subject"]);
    }

    [Fact]
    public void Validate_SubjectWithLineBreakOrTooLong_IsRejected()
    {
        Assert.True(Validate(TemplateTestData.Content(subject: "a\nb")).ContainsKey("subject"));
        Assert.True(Validate(TemplateTestData.Content(subject: new string('a', TemplateValidator.MaxSubjectLength + 1))).ContainsKey("subject"));
    }

    [Fact]
    public void Validate_BodyOver64KiB_IsRejected()
    {
        var errors = Validate(TemplateTestData.Content(html: new string('é', 40_000)));

        Assert.Equal(["At most 64 KiB (UTF-8)."], errors["html"]);
    }

    [Theory]
    [InlineData("{{")]
    [InlineData("}}{{")]
    [InlineData("{{#}}{{/}}")]
    [InlineData("{{/}}")]
    [InlineData("{{{patron.name}}")]
    [InlineData("{{=")]
    [InlineData("{{= =}}")]
    [InlineData("{{#items}}{{#items}}{{/items}}")]
    [InlineData("{{^}}")]
    [InlineData("{{..}}")]
    [InlineData("{{patron..name}}")]
    [InlineData("{{#items}}\r\n{{/items}}\r\n{{/patron}}")]
    public void Validate_HostileSyntax_IsReportedNeverThrown(string text)
    {
        var errors = Validate(TemplateTestData.Content(text: text.Replace("\\r\\n", "\r\n", StringComparison.Ordinal)));

        Assert.True(errors.ContainsKey("text"));
        Assert.All(errors["text"], m => Assert.StartsWith("Line ", m, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EmptyTag_IsNotAVariable()
    {
        Assert.True(Validate(TemplateTestData.Content(text: "{{}}")).ContainsKey("text"));
    }

    [Theory]
    [InlineData(TemplateValidator.MaxSectionDepth + 1)]
    [InlineData(3000)]
    public void Validate_SectionsNestedTooDeep_ReportsTheFirstTooDeepSectionsLineAndColumn(int depth)
    {
        var text = "Hello\n" + string.Concat(Enumerable.Repeat("{{#items}}", depth)) + "x" + string.Concat(Enumerable.Repeat("{{/items}}", depth));

        var message = Assert.Single(Validate(TemplateTestData.Content(text: text))["text"]);

        var column = (TemplateValidator.MaxSectionDepth * "{{#items}}".Length) + 1;
        Assert.Equal($"Line 2, column {column}: section 'items' is nested more than {TemplateValidator.MaxSectionDepth} sections deep; at most {TemplateValidator.MaxSectionDepth} are allowed.", message);
    }

    [Fact]
    public void Validate_InvertedSectionsCountTowardsTheDepth()
    {
        var depth = TemplateValidator.MaxSectionDepth + 1;
        var html = string.Concat(Enumerable.Repeat("{{^recall}}", depth)) + "x" + string.Concat(Enumerable.Repeat("{{/recall}}", depth));

        Assert.Contains("nested more than", Assert.Single(Validate(TemplateTestData.Content(html: html))["html"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SectionsNestedToTheLimit_AreAccepted()
    {
        var depth = TemplateValidator.MaxSectionDepth;
        var text = string.Concat(Enumerable.Repeat("{{#items}}", depth)) + "{{title}}" + string.Concat(Enumerable.Repeat("{{/items}}", depth));

        Assert.Empty(Validate(TemplateTestData.Content(text: text)));
    }
}
