using Comms.Notices;
using Comms.Templates;

namespace Comms.Tests.Templates;

public sealed class TemplateRendererTests
{
    private readonly TemplateRenderer _renderer = new();

    [Fact]
    public void Render_HostilePatronName_IsEscapedInHtmlAndVerbatimInTextAndSubject()
    {
        var model = TemplateTestData.OverdueModel("<script>alert('x')</script> & Co");

        var email = _renderer.RenderContent(TemplateTestData.Content(), model);

        Assert.Equal("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co</p>", email.Html);
        Assert.Equal("<script>alert('x')</script> & Co", email.Text);
        Assert.Equal("Overdue: <script>alert('x')</script> & Co", email.Subject);
    }

    [Fact]
    public void Render_LineBreaksAndControlCharactersInData_KeepTheSubjectOnOneLine()
    {
        var model = TemplateTestData.OverdueModel("Alex\r\nBcc: victim@example.org\u2028\tX\0");

        var email = _renderer.Render(TemplateTestData.Content(), model);

        Assert.Equal("Overdue: Alex Bcc: victim@example.org X", email.Subject);
        Assert.Contains("\r\n", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TemplateTextChanges_RendersTheNewText()
    {
        var model = TemplateTestData.OverdueModel();
        _renderer.Render(TemplateTestData.Content(text: "Version one for {{patron.name}}"), model);

        var email = _renderer.Render(TemplateTestData.Content(text: "Version two for {{patron.name}}"), model);

        Assert.Equal("Version two for Alex Morgan", email.Text);
    }

    [Fact]
    public void Render_ItemWithoutAuthor_LeavesOutTheByClause()
    {
        var model = TemplateTestData.OverdueModel() with { Items = [new ItemModel("Atlas", string.Empty, "300", "Monday 9 March 2026", "7", "7 days")] };

        var email = _renderer.Render(TemplateTestData.Content(text: "{{#items}}{{title}}{{#author}} by {{author}}{{/author}}{{/items}}"), model);

        Assert.Equal("Atlas", email.Text);
    }

    [Fact]
    public void Render_SectionThatTheScenarioDoesNotFill_IsFalse()
    {
        var email = _renderer.Render(TemplateTestData.Content(text: "{{#recall}}recalled{{/recall}}{{^recall}}not recalled{{/recall}}"), TemplateTestData.OverdueModel());

        Assert.Equal("not recalled", email.Text);
    }

    [Fact]
    public void OneLine_VeryLongSubject_IsCut()
    {
        var subject = TemplateRenderer.OneLine(new string('a', 400));

        Assert.Equal(TemplateRenderer.MaxSubjectLength, subject.Length);
        Assert.EndsWith("…", subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NestedListsWithinTheDepthLimit_StopAtTheRenderBudget()
    {
        // Valid (eight deep), but 20 items repeat the innermost text 20^8 times: unbounded work without a budget.
        var depth = TemplateValidator.MaxSectionDepth;
        var content = TemplateTestData.Content(text: string.Concat(Enumerable.Repeat("{{#items}}", depth)) + "{{title}}" + string.Concat(Enumerable.Repeat("{{/items}}", depth)));
        var errors = new Comms.Common.ValidationErrors();
        TemplateValidator.Validate(content, [new Comms.Scenarios.ScenarioKey(Comms.Scenarios.Scenario.Overdue)], errors);
        var model = TemplateTestData.OverdueModel() with { Items = [.. Enumerable.Range(0, 20).Select(i => new ItemModel($"T{i}", string.Empty, "1", "Monday", "1", "1 day"))] };

        Assert.True(errors.IsEmpty);
        var e = Assert.Throws<TemplateRenderLimitException>(() => _renderer.Render(content, model));
        Assert.Contains("steps", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OutputOverTheBudget_Stops()
    {
        // Five levels over 500 items of 500-character titles: far beyond the output budget long before the step budget.
        var content = TemplateTestData.Content(text: "{{#items}}{{#items}}{{#items}}{{title}}{{title}}{{title}}{{/items}}{{/items}}{{/items}}");
        var title = new string('x', 500);
        var model = TemplateTestData.OverdueModel() with { Items = [.. Enumerable.Range(0, 100).Select(_ => new ItemModel(title, string.Empty, "1", "Monday", "1", "1 day"))] };

        var e = Assert.Throws<TemplateRenderLimitException>(() => _renderer.Render(content, model));
        Assert.Contains("characters", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(40)]
    [InlineData(3000)]
    public void Render_TemplateSavedDeeperThanValidationNowAllows_StopsAtTheBudget(int depth)
    {
        // A template saved before the depth bound (nothing re-validates stored versions) still renders within
        // budget: twenty deep by the steps, deeper by the plan's own depth bound, never by a stack overflow.
        var content = TemplateTestData.Content(text: string.Concat(Enumerable.Repeat("{{#items}}", depth)) + "x" + string.Concat(Enumerable.Repeat("{{/items}}", depth)));

        Assert.Throws<TemplateRenderLimitException>(() => _renderer.Render(content, TemplateTestData.OverdueModel()));
    }

    [Fact]
    public void RenderContent_SecretInEveryPart_EmailShowsItAndTheRedactedCopyHidesItOnly()
    {
        const string link = "https://opac.example.org/reset?t=S3CRET&x=<1>";
        var model = TemplateTestData.OverdueModel() with { Reset = new ResetModel(link, "in one hour") };
        var content = TemplateTestData.Content(
            subject: "Reset for {{patron.name}}: {{reset.link}}",
            html: "<a href=\"{{reset.link}}\">{{reset.link}}</a> {{patron.name}}",
            text: "Go to {{reset.link}} {{reset.expiresAt}}");

        var email = _renderer.RenderContent(content, model);

        Assert.Equal($"Reset for Alex Morgan: {link}", email.Subject);
        Assert.Equal("<a href=\"https://opac.example.org/reset?t=S3CRET&amp;x=&lt;1&gt;\">https://opac.example.org/reset?t=S3CRET&amp;x=&lt;1&gt;</a> Alex Morgan", email.Html);
        Assert.Equal($"Go to {link} in one hour", email.Text);
        Assert.Equal(new RedactedEmail("Reset for Alex Morgan: [hidden]", "Go to [hidden] in one hour", "<a href=\"[hidden]\">[hidden]</a> Alex Morgan"), email.Redacted);
    }

    [Fact]
    public void RenderContent_WithASecret_RendersEachPartOnce_SoTheRedactedCopyTakesNoSecondBudget()
    {
        // Three blocks of 500 × 500 list elements: about 1.5 million steps, within the 2 million of one email's budget.
        // Rendered a second time for the redacted copy, the same email would take about 3 million and be refused.
        var items = Enumerable.Range(0, 500).Select(i => new ItemModel($"T{i}", string.Empty, string.Empty, string.Empty, "1", "1 day")).ToList();
        var model = TemplateTestData.OverdueModel() with { Items = items, Reset = new ResetModel("https://opac.example.org/reset?t=S3CRET", "soon") };
        const string block = "{{#items}}{{#items}}x{{/items}}{{/items}}";
        var content = TemplateTestData.Content(subject: "Reset", html: block + block + block + "{{reset.link}}", text: "{{reset.link}}");

        var email = _renderer.RenderContent(content, model);

        Assert.Equal((3 * 500 * 500) + "https://opac.example.org/reset?t=S3CRET".Length, email.Html.Length);
        Assert.EndsWith("[hidden]", email.Redacted!.Html, StringComparison.Ordinal);
        Assert.Equal("[hidden]", email.Redacted.Text);
    }
}
