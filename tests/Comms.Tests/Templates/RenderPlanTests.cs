using System.Globalization;
using Comms.Templates;
using Stubble.Core.Builders;
using Stubble.Core.Parser;
using Stubble.Core.Settings;

namespace Comms.Tests.Templates;

/// <summary>
/// TemplateRenderer renders compiled plans of Stubble's parsed templates (for speed); its output must be
/// exactly what Stubble's renderer gives, escaping included, however the plans' member caches were filled.
/// </summary>
public sealed class RenderPlanTests
{
    private static readonly Stubble.Core.StubbleVisitorRenderer Stubble =
        new StubbleBuilder().Configure(s => s.SetIgnoreCaseOnKeyLookup(true).SetMaxRecursionDepth(64)).Build();

    private static readonly RenderSettings Html = new() { SkipHtmlEncoding = false, CultureInfo = CultureInfo.InvariantCulture };
    private static readonly RenderSettings Plain = new() { SkipHtmlEncoding = true, CultureInfo = CultureInfo.InvariantCulture };

    /// <summary>One name ("name", "title", "group.name") meets more view types here than a member cache keeps.</summary>
    private const string ManyTypesTemplate =
        "{{#items}}\n  <li>{{name}}|{{title}}|{{group.name}}|{{key}}={{value}}{{#group}} in {{name}}{{/group}}{{^title}} untitled{{/title}}</li>\n{{/items}}\n{{^items}}none{{/items}} {{name}}";

    private readonly TemplateRenderer _renderer = new();

    [Theory]
    [MemberData(nameof(TemplateTestData.AllScenarioKeys), MemberType = typeof(TemplateTestData))]
    public void Render_EveryDefault_MatchesStubble(string scenario)
    {
        var key = TemplateTestData.Key(scenario);
        var model = SampleReaders.Model(key, TemplateTestData.Now);
        var template = DefaultTemplates.For(key.Scenario);

        var email = _renderer.RenderContent(template, model);

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
            Items = [new ItemModel("A < B", "", "1", "d", "0", "0 days"), new ItemModel("Ü & é", "Ann", "2", "e", "3", "3 days")],
        };
        var template = new TemplateContent
        {
            Subject = "{{patron.name}} {{#patron.group}}g{{/patron.group}}{{^patron.group}}no group{{/patron.group}}",
            Html = "<p>{{patron.name}}</p>\n{{#items}}\n  <li>{{title}}{{#author}} by {{author}}{{/author}}{{^author}} (no author){{/author}} {{library.name}} {{#daysOverdue}}late{{/daysOverdue}}</li>\n{{/items}}\n{{! a comment }}\n{{^reservation}}none{{/reservation}}{{#recipient}}{{name}}/{{patron.name}}{{/recipient}}",
            Text = "{{{patron.name}}} {{& patron.name}} {{#items}}{{.}}|{{/items}} {{library.missing.deeper}} {{patron.name.}} {{.patron}}\n  {{patron.name}}\n    indented text\n  {{#patron}}\n  {{group}}\n  {{/patron}}",
        };

        var email = _renderer.RenderContent(template, model);

        Assert.Equal(TemplateRenderer.OneLine(Stubble.Render(template.Subject, model, Plain)), email.Subject);
        Assert.Equal(Stubble.Render(template.Html, model, Html), email.Html);
        Assert.Equal(Stubble.Render(template.Text, model, Plain), email.Text);
    }

    [Fact]
    public void Render_OnePlanMeetingManyViewTypes_MatchesStubbleEveryTime()
    {
        var plan = Compile(ManyTypesTemplate);

        // The first model fills the caches with its types; the later ones find other types under the same names.
        foreach (var model in new object[] { ManyTypesModel(), new { Name = "no items" }, new Shelf("empty", []), ManyTypesModel() })
        {
            Assert.Equal(Stubble.Render(ManyTypesTemplate, model, Html), plan.Render(model, htmlEncode: true));
            Assert.Equal(Stubble.Render(ManyTypesTemplate, model, Plain), plan.Render(model, htmlEncode: false));
        }
    }

    [Fact]
    public void Render_OutputFarLongerThanTheLastRender_IsComplete()
    {
        const string Template = "{{#items}}<li>{{title}}</li>\n{{/items}}";
        var plan = Compile(Template);
        plan.Render(new Shelf("one", [new Book("only")]), htmlEncode: true);
        var many = new Shelf("many", [.. Enumerable.Range(1, 2000).Select(i => new Book($"Book & {i}"))]);

        var html = plan.Render(many, htmlEncode: true);

        Assert.Equal(Stubble.Render(Template, many, Html), html);
    }

    [Fact]
    public void Render_FromManyThreadsOnAFreshPlan_EveryOutputMatchesStubble()
    {
        var plan = Compile(ManyTypesTemplate);
        var model = ManyTypesModel();
        var expected = Stubble.Render(ManyTypesTemplate, model, Html);
        var outputs = new string[400];

        Parallel.For(0, outputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i => outputs[i] = plan.Render(model, htmlEncode: true));

        Assert.All(outputs, output => Assert.Equal(expected, output));
    }

    [Fact]
    public void For_MoreTemplatesThanTheCacheHolds_StillRendersEachCorrectly()
    {
        var cache = new RenderPlanCache(capacity: 2);
        var model = new { Name = "Ada" };

        var outputs = Enumerable.Range(1, 5).Select(i => cache.For($"{i}: {{{{name}}}}").Render(model, htmlEncode: false)).ToList();

        Assert.Equal(["1: Ada", "2: Ada", "3: Ada", "4: Ada", "5: Ada"], outputs);
        Assert.Equal("1: Ada", cache.For("1: {{name}}").Render(model, htmlEncode: false));
    }

    private static RenderPlan Compile(string template) => RenderPlan.Compile(new InstanceMustacheParser().Parse(template));

    /// <summary>Elements of eleven types under one section: records, anonymous types, a dictionary, a pair, a string and a bool.</summary>
    private static Shelf ManyTypesModel() => new("<top>", [
        new Book("Dune & co"),
        new Book(""),
        new Member("Ann", new Group("Year 7")),
        new Member("Bo", null),
        new { Name = "anonymous", Title = "false" },
        new { Title = "only a title", Group = new { Name = "an anonymous group" } },
        new { Group = "a group that is text" },
        new Dictionary<string, object?> { ["name"] = "from a dictionary", ["title"] = " 0 " },
        new KeyValuePair<string, string>("k<", "v>"),
        "a string",
        true,
        new Shelf("nested", [new Book("inner")]),
        new Tuple<string>("one"),
    ]);

    private sealed record Shelf(string Name, IReadOnlyList<object> Items);

    private sealed record Book(string Title);

    private sealed record Member(string Name, Group? Group);

    private sealed record Group(string Name);
}
