using System.Diagnostics;
using Comms.Common;
using Comms.Scenarios;
using Comms.Templates;
using Comms.Tests.Security;

namespace Comms.Tests.Templates;

public sealed class ContentModeTests
{
    private static readonly ScenarioKey[] Overdue = [new(Scenario.Overdue)];

    [Fact]
    public void Prepare_FormattedText_BecomesEscapedHtmlAndPlainText()
    {
        const string Source = """
            # Some items are overdue

            Dear {{recipient.name}},
            **{{patron.name}}** has *three* items <b>late</b> & _one_ lost.

            - Return them at the desk
            - Or [renew online](https://riverside.example.org/renew?a=1&b=2)

            [[table items]]
            """;

        var content = Prepare(Source);

        Assert.Equal("content", content.Mode);
        Assert.Equal(Source, content.Source);
        Assert.Contains("<h1 style=", content.Html, StringComparison.Ordinal);
        Assert.Contains(">Some items are overdue</h1>", content.Html, StringComparison.Ordinal);
        Assert.Contains("Dear {{recipient.name}},<br>\n<strong>{{patron.name}}</strong> has <em>three</em> items &lt;b&gt;late&lt;/b&gt; &amp; <em>one</em> lost.</p>", content.Html, StringComparison.Ordinal);
        Assert.Contains("<li>Or <a href=\"https://riverside.example.org/renew?a=1&amp;b=2\">renew online</a></li>", content.Html, StringComparison.Ordinal);
        Assert.Contains("<caption style=\"text-align:left; font-weight:bold; padding:0 0 8px 0;\">Items</caption>", content.Html, StringComparison.Ordinal);
        Assert.Contains("{{#items}}", content.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", content.Html, StringComparison.Ordinal);
        Assert.StartsWith("Some items are overdue\n\nDear {{recipient.name}},\n{{patron.name}} has three items <b>late</b> & one lost.\n", content.Text, StringComparison.Ordinal);
        Assert.Contains("- Or renew online (https://riverside.example.org/renew?a=1&b=2)", content.Text, StringComparison.Ordinal);
        Assert.Contains("{{#items}}\n- {{title}}{{#author}} by {{author}}{{/author}}", content.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_ListInsideASection_KeepsOneListAroundEveryElement()
    {
        var content = Prepare("Your items:\n{{#items}}\n- {{title}}, due {{dueDate}}\n{{/items}}\n\nThanks");

        Assert.Contains("<p style=\"margin:0 0 16px 0;\">Your items:</p>\n<ul style=\"margin:0 0 16px 0; padding-left:24px;\">\n{{#items}}\n<li>{{title}}, due {{dueDate}}</li>\n{{/items}}\n</ul>\n<p", content.Html, StringComparison.Ordinal);
        var email = new TemplateRenderer().RenderContent(content, TemplateTestData.OverdueModel());
        Assert.Single(HtmlShape.Tags(email.Html), t => t.StartsWith("ul[", StringComparison.Ordinal));
        Assert.Equal(1, email.Html.Split("<ul").Length - 1);
        Assert.Equal(SampleReaders.Model(Overdue[0], TemplateTestData.Now).Items!.Count, email.Html.Split("<li>").Length - 1);
    }

    [Fact]
    public void Prepare_EditedText_IsKeptAndValidated()
    {
        var content = new TemplateContent { Subject = "s", Mode = "content", Source = "Hello {{patron.name}}", Text = "Hi {{patron.nmae}}", TextEdited = true };
        var errors = new ValidationErrors();

        ContentMode.PrepareAndValidate(content, Overdue, errors);

        Assert.Equal(["text"], errors.ToDictionary().Keys);
    }

    [Theory]
    [InlineData("Hello\n\nDear {{patron.nmae}}", "Line 3, column 6: Unknown variable 'patron.nmae'")]
    [InlineData("Hi\n{{#items}}\n- x", "Line 2, column 1: section 'items' is opened but never closed")]
    [InlineData("Dear {{{patron.name}}}", "Line 1, column 6: 'patron.name' is inserted without HTML escaping")]
    [InlineData("Hi\n  See [here](javascript:alert(1))", "Line 2, column 14: a link goes to")]
    [InlineData("Hi\n\n[[table reservation]]", "Line 3, column 1: use an item table as")]
    [InlineData("Hi <script>{{> evil}}</script>", "Line 1, column 12: Partials")]
    public void Prepare_Mistakes_PointAtTheLineAndColumnOfTheSource(string source, string expected)
    {
        var errors = new ValidationErrors();

        ContentMode.PrepareAndValidate(new TemplateContent { Subject = "s", Mode = "content", Source = source }, Overdue, errors);

        var messages = Assert.Single(errors.ToDictionary(), e => e.Key == "source").Value;
        Assert.Contains(messages, m => m.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Prepare_TableOfAListTheScenarioLacks_IsRefusedAtItsLine()
    {
        var errors = new ValidationErrors();

        ContentMode.PrepareAndValidate(new TemplateContent { Subject = "s", Mode = "content", Source = "Welcome\n[[table items]]" }, [new ScenarioKey(Scenario.Welcome)], errors);

        Assert.StartsWith("Line 2, column 1: this scenario has no 'items' list", errors.ToDictionary()["source"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_UnknownModeOrEmptySource_IsRefused()
    {
        var errors = new ValidationErrors();

        ContentMode.PrepareAndValidate(new TemplateContent { Subject = "s", Mode = "markdown", Source = "x" }, Overdue, errors);
        ContentMode.PrepareAndValidate(new TemplateContent { Subject = "s", Mode = "content", Source = " " }, Overdue, errors, "draft");

        Assert.Equal(["draft.source", "mode"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Prepare_LongestSourceOfUnclosedMarkers_ConvertsInLinearTime()
    {
        // One "**" that never closes, then thousands of "[" with no "](": each marker is searched for once, not once per place.
        var source = "**" + string.Concat(Enumerable.Repeat("[x", (ContentMarkup.MaxSourceChars / 2) - 1));
        var errors = new ValidationErrors();
        var watch = Stopwatch.StartNew();

        var (html, _) = ContentMarkup.Convert(source, "source", errors);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
        Assert.True(errors.IsEmpty);
        Assert.DoesNotContain("<strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<a ", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_SourceOverTheLimit_IsRefused()
    {
        var errors = new ValidationErrors();

        ContentMode.PrepareAndValidate(new TemplateContent { Subject = "s", Mode = "content", Source = new string('a', ContentMarkup.MaxSourceChars + 1) }, Overdue, errors);

        Assert.Equal("At most 32768 characters.", errors.ToDictionary()["source"][0]);
    }

    private static TemplateContent Prepare(string source)
    {
        var errors = new ValidationErrors();
        var content = ContentMode.PrepareAndValidate(new TemplateContent { Subject = "Overdue", Mode = "content", Source = source }, Overdue, errors);
        Assert.True(errors.IsEmpty, string.Join("\n", errors.ToDictionary().SelectMany(e => e.Value)));
        return content;
    }
}
