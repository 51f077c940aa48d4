using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Scenarios;
using Comms.Templates;

namespace Comms.Tests.Templates;

/// <summary>The recipient-centred model and the shipped household, class-list and summary defaults.</summary>
public sealed class ContactTemplateTests
{
    private readonly TemplateRenderer _renderer = new();

    public static TheoryData<string> ShapeKeys()
    {
        var data = new TheoryData<string>();
        foreach (var step in new[] { "pre-overdue", "overdue", "escalation-1", "escalation-3" })
        {
            foreach (var shape in Enum.GetValues<ContactShape>())
            {
                data.Add($"{step}:{ContactShapes.Name(shape)}");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShapeKeys))]
    public void ShapeDefault_ForEveryLadderStep_IsValidAndRendersEveryListedPatron(string text)
    {
        Assert.True(TemplateKey.TryParse(text, out var key));
        var errors = new ValidationErrors();
        TemplateValidator.Validate(DefaultTemplates.For(key), [key.Scenario], errors);
        Assert.True(errors.IsEmpty, string.Join("\n", errors.ToDictionary().SelectMany(e => e.Value)));

        var model = Model(key, SampleReaders.Library);
        var email = _renderer.Render(DefaultTemplates.For(key), model);

        Assert.DoesNotContain('\n', email.Subject);
        foreach (var part in new[] { email.Subject, email.Html, email.Text })
        {
            Assert.DoesNotContain("{{", part, StringComparison.Ordinal);
        }

        Assert.Contains("<th scope=", email.Html, StringComparison.Ordinal);
        Assert.Equal(key.Shape != ContactShape.Summary || model.Digest!.ListsPatrons, email.Text.Contains("Riley Chen", StringComparison.Ordinal));
        Assert.Equal(key.Shape != ContactShape.Summary || model.Digest!.ListsPatrons, email.Html.Contains("Holes", StringComparison.Ordinal));
        Assert.Equal(key.Scenario.Scenario == Scenario.PreOverdue, System.Text.RegularExpressions.Regex.IsMatch(email.Subject, "due (back )?soon"));
        Assert.Equal(key.Scenario.Scenario != Scenario.PreOverdue, email.Text.Contains("overdue", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Summary_BelowTheListingLevel_CountsPerClassWithoutNames()
    {
        // The sample library has the default three escalation levels: names from level 3 (its last) by default.
        var below = Model(new TemplateKey(new ScenarioKey(Scenario.Escalation, 2), ContactShape.Summary), SampleReaders.Library);
        var top = Model(new TemplateKey(new ScenarioKey(Scenario.Escalation, 3), ContactShape.Summary), SampleReaders.Library);
        var early = SampleReaders.Library with
        {
            Scenarios = new Dictionary<Scenario, ScenarioSettings> { [Scenario.Escalation] = new() { ContactDigests = new() { SummaryListFromLevel = 2 } } },
        };

        Assert.Empty(below.Patrons!);
        Assert.False(below.Digest!.ListsPatrons);
        Assert.Equal(["Year 4", "Year 7"], below.Classes!.Select(c => c.Name));
        Assert.Equal(("2", "3"), (below.Classes![1].Patrons, below.Classes[1].Items));
        Assert.Equal(("3", "4", "4"), (below.Totals!.Patrons, below.Totals.Items, below.Totals.Unlisted));
        Assert.Equal(3, top.Patrons!.Count);
        Assert.Equal("0", top.Totals!.Unlisted);
        Assert.True(Model(new TemplateKey(new ScenarioKey(Scenario.Escalation, 2), ContactShape.Summary), early).Digest!.ListsPatrons);
        Assert.DoesNotContain("Riley Chen", _renderer.Render(DefaultTemplates.For(new TemplateKey(new ScenarioKey(Scenario.Escalation, 2), ContactShape.Summary)), below).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void PatronsOwnEmail_ListsThePatronAloneWhateverTheDataCarries()
    {
        var model = SampleReaders.Model(new ScenarioKey(Scenario.Overdue), TemplateTestData.Now);

        Assert.Equal(["Alex Morgan"], model.Patrons!.Select(p => p.Name));
        Assert.Equal(model.Items!.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), model.Patrons![0].ItemCount);
        Assert.True(model.Digest!.Personal);
    }

    [Fact]
    public void PatronNames_AreEscapedInTheHouseholdHtml()
    {
        var key = new TemplateKey(new ScenarioKey(Scenario.Overdue), ContactShape.Household);
        var data = ScenarioCatalogue.Get(Scenario.Overdue).SampleData(TemplateTestData.Now) with
        {
            Patrons = [new PatronFacts { Name = "<script>alert(1)</script>", Group = "7&B", Items = [] }],
        };
        var model = TemplateModelBuilder.Build(key.Scenario, SampleReaders.Library, "en-GB", SampleReaders.Patron, SampleReaders.Recipient, data, TemplateTestData.Now, key.Shape);

        var html = _renderer.Render(DefaultTemplates.For(key), model).Html;

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("overdue:class", true)]
    [InlineData("escalation-2:summary", true)]
    [InlineData("pre-overdue:household", true)]
    [InlineData("recall:class", false)]
    [InlineData("loan-receipt:household", false)]
    [InlineData("overdue:teacher", false)]
    [InlineData("overdue:", false)]
    public void TemplateKey_ShapesOnlyOnLadderSteps(string text, bool valid)
    {
        Assert.Equal(valid, TemplateKey.TryParse(text, out var key));
        if (valid)
        {
            Assert.Equal(text, key.ToString());
        }
    }

    private static TemplateModel Model(TemplateKey key, Library library) =>
        TemplateModelBuilder.Build(
            key.Scenario, library, "en-GB", SampleReaders.Patron, SampleReaders.Recipient,
            ScenarioCatalogue.Get(key.Scenario.Scenario).SampleData(TemplateTestData.Now), TemplateTestData.Now, key.Shape);

    [Fact]
    public void NoticeLimits_ASummaryCountsAWholeSchoolAHouseholdListsWhatOneEmailHolds()
    {
        var loans = Enumerable.Range(0, 3000).Select(i => new Comms.Notices.LoanFact($"L{i}", "Holes", null, null, TemplateTestData.Now)).ToList();
        Comms.Notices.NoticeRequest Request(ContactShape shape) => new()
        {
            LibraryId = "lib",
            Scenario = new ScenarioKey(Scenario.Overdue),
            SubjectRecordId = "digest",
            ScheduledFor = DateOnly.FromDateTime(TemplateTestData.Now.UtcDateTime),
            Loans = loans,
            ContactDigest = new Comms.Notices.ContactDigestFact(shape, "Head", "head@school.example.org", ContactRole.HeadOfSchool, null,
                [new Comms.Notices.PatronLoansFact("p1", "Ann", "7B", loans)]),
        };

        Comms.Notices.NoticeLimits.Check(Request(ContactShape.Summary));
        Assert.Throws<RequestValidationException>(() => Comms.Notices.NoticeLimits.Check(Request(ContactShape.Household)));
    }
}
