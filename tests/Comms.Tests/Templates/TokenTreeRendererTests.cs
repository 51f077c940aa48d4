using System.Globalization;
using Comms.Templates;
using Stubble.Core.Builders;
using Stubble.Core.Settings;

namespace Comms.Tests.Templates;

/// <summary>
/// TemplateRenderer walks Stubble's parsed tree with its own renderer (for speed); its output must be exactly
/// what Stubble's renderer gives, escaping included.
/// </summary>
public sealed class TokenTreeRendererTests
{
    private static readonly Stubble.Core.StubbleVisitorRenderer Stubble =
        new StubbleBuilder().Configure(s => s.SetIgnoreCaseOnKeyLookup(true).SetMaxRecursionDepth(64)).Build();

    private static readonly RenderSettings Html = new() { SkipHtmlEncoding = false, CultureInfo = CultureInfo.InvariantCulture };
    private static readonly RenderSettings Plain = new() { SkipHtmlEncoding = true, CultureInfo = CultureInfo.InvariantCulture };

    private readonly TemplateRenderer _renderer = new();

    [Theory]
    [MemberData(nameof(TemplateTestData.AllScenarioKeys), MemberType = typeof(TemplateTestData))]
    public void Render_EveryDefault_MatchesStubble(string scenario)
    {
        var key = TemplateTestData.Key(scenario);
        var model = SampleReaders.Model(key, TemplateTestData.Now);
        var template = DefaultTemplates.For(key.Scenario);

        var email = _renderer.Render(template, model);

        Assert.Equal(TemplateRenderer.OneLine(Stubble.Render(template.Subject, model, Plain)), email.Subject);
        Assert.Equal(Stubble.Render(template.Html, model, Html), email.Html);
        Assert.Equal(Stubble.Render(template.Text, model, Plain), email.Text);
    }

    [Fact]
    public void Render_HostileValuesAndNesting_MatchesStubble()
    {
        var model = SampleReaders.Model(TemplateTestData.Key("overdue"), TemplateTestData.Now) with
        {
            Patron = new PatronModel("<b>O'Neil & \"Sons\"</b> ☃", " false "),
            Items = [new ItemModel("A < B", "", "1", "d", "0"), new ItemModel("Ü & é", "Ann", "2", "e", "3")],
        };
        var template = new TemplateContent
        {
            Subject = "{{patron.name}} {{#patron.group}}g{{/patron.group}}{{^patron.group}}no group{{/patron.group}}",
            Html = "<p>{{patron.name}}</p>\n{{#items}}\n  <li>{{title}}{{#author}} by {{author}}{{/author}}{{^author}} (no author){{/author}} {{library.name}} {{#daysOverdue}}late{{/daysOverdue}}</li>\n{{/items}}\n{{! a comment }}\n{{^reservation}}none{{/reservation}}{{#recipient}}{{name}}/{{patron.name}}{{/recipient}}",
            Text = "{{{patron.name}}} {{& patron.name}} {{#items}}{{.}}|{{/items}} {{library.missing.deeper}}",
        };

        var email = _renderer.Render(template, model);

        Assert.Equal(TemplateRenderer.OneLine(Stubble.Render(template.Subject, model, Plain)), email.Subject);
        Assert.Equal(Stubble.Render(template.Html, model, Html), email.Html);
        Assert.Equal(Stubble.Render(template.Text, model, Plain), email.Text);
    }
}
