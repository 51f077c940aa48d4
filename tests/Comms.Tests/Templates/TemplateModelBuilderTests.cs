using Comms.Scenarios;
using Comms.Templates;

namespace Comms.Tests.Templates;

public sealed class TemplateModelBuilderTests
{
    [Fact]
    public void Build_DueDate_IsFormattedInTheLibrarysTimeZoneAndTheReadersLanguage()
    {
        var library = Samples.Library("nz") with { TimeZone = "Pacific/Auckland" };
        var data = new TemplateData
        {
            // 23:30 UTC on the 10th is already the 11th in Auckland.
            Items = [new LoanFacts { Title = "Kete", Barcode = "1", DueDate = new DateTimeOffset(2026, 3, 10, 23, 30, 0, TimeSpan.Zero) }],
        };

        var model = TemplateModelBuilder.Build(new ScenarioKey(Scenario.Overdue), library, "fr-FR", SampleReaders.Patron, SampleReaders.Recipient, data, TemplateTestData.Now);

        var item = Assert.Single(model.Items!);
        Assert.Equal("mercredi 11 mars 2026", item.DueDate);
        Assert.Equal("5", item.DaysOverdue);
        Assert.Equal(string.Empty, item.Author);
    }

    [Fact]
    public void Build_UnknownLanguage_FallsBackToTheLibrarysLanguage()
    {
        var data = new TemplateData { Items = [new LoanFacts { Title = "A", Barcode = "1", DueDate = TemplateTestData.Now }] };

        var model = TemplateModelBuilder.Build(new ScenarioKey(Scenario.Overdue), Samples.Library("uk"), "xx-nope", null, null, data, TemplateTestData.Now);

        // en-GB long date, as the runtime's culture data writes it.
        Assert.Equal(new DateTime(2026, 3, 16).ToString("D", System.Globalization.CultureInfo.GetCultureInfo("en-GB")), Assert.Single(model.Items!).DueDate);
    }

    [Theory]
    [InlineData("en-GB", 1, "1 day")]
    [InlineData("en-GB", 3, "3 days")]
    [InlineData("fr-FR", 1, "1 jour")]
    [InlineData("fr-FR", 4, "4 jours")]
    [InlineData("de-DE", 1, "1 Tag")]
    public void Build_DaysOverdue_CountWithTheWordInTheReadersLanguage(string language, int days, string expected)
    {
        var data = new TemplateData { Items = [new LoanFacts { Title = "A", Barcode = "1", DueDate = TemplateTestData.Now.AddDays(-days) }] };

        var model = TemplateModelBuilder.Build(new ScenarioKey(Scenario.Overdue), Samples.Library("uk"), language, null, null, data, TemplateTestData.Now);

        Assert.Equal(expected, Assert.Single(model.Items!).DaysOverdueText);
    }

    [Fact]
    public void Build_ReaderLanguageWithoutRegion_TakesTheLibrarysLocale()
    {
        var data = new TemplateData { Items = [new LoanFacts { Title = "A", Barcode = "1", DueDate = TemplateTestData.Now }] };
        var london = Samples.Library("uk") with { DefaultLanguage = "en", TimeZone = "Europe/London" };
        var auckland = Samples.Library("nz") with { DefaultLanguage = "en-NZ", TimeZone = "Pacific/Auckland" };

        var inLondon = TemplateModelBuilder.Build(new ScenarioKey(Scenario.Overdue), london, "en", null, null, data, TemplateTestData.Now);
        var inAuckland = TemplateModelBuilder.Build(new ScenarioKey(Scenario.Overdue), auckland, null, null, null, data, TemplateTestData.Now);

        var ukDate = TimeZoneInfo.ConvertTime(TemplateTestData.Now, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).ToString("D", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
        var nzDate = TimeZoneInfo.ConvertTime(TemplateTestData.Now, TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland")).ToString("D", System.Globalization.CultureInfo.GetCultureInfo("en-NZ"));
        Assert.Equal(ukDate, Assert.Single(inLondon.Items!).DueDate);
        Assert.Equal(nzDate, Assert.Single(inAuckland.Items!).DueDate);
        Assert.DoesNotContain("March 16", ukDate, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_OnlyFillsTheSectionsTheScenarioDeclares()
    {
        var data = ScenarioCatalogue.Get(Scenario.Recall).SampleData(TemplateTestData.Now);

        var model = TemplateModelBuilder.Build(new ScenarioKey(Scenario.Overdue), Samples.Library("uk"), "en-GB", SampleReaders.Patron, SampleReaders.Recipient, data, TemplateTestData.Now);

        Assert.NotNull(model.Items);
        Assert.Null(model.Recall);
        Assert.Null(model.Escalation);
    }

    [Fact]
    public void Build_RecallWithoutReturnDate_KeepsTheReason()
    {
        var request = new Comms.Notices.NoticeRequest
        {
            LibraryId = "uk",
            Scenario = new ScenarioKey(Scenario.Recall),
            SubjectRecordId = "loan-1",
            ScheduledFor = new DateOnly(2026, 3, 16),
            PatronId = "p1",
            Recall = new Comms.Notices.RecallFact("Needed for a class", null),
        };

        var model = TemplateModelBuilder.Build(request.Scenario, Samples.Library("uk"), "en-GB", SampleReaders.Patron, SampleReaders.Recipient, Comms.Notices.NoticeTemplateData.From(request, null), TemplateTestData.Now);

        Assert.Equal("Needed for a class", model.Recall!.Reason);
        Assert.Equal(string.Empty, model.Recall.NewDueDate);
    }

    [Fact]
    public void Build_Order_ComputesLineTotalsAndTotal()
    {
        var model = SampleReaders.Model(new ScenarioKey(Scenario.SupplierOrder), TemplateTestData.Now);

        Assert.Equal(["15.98", "6.99"], model.Order!.Lines.Select(l => l.LineTotal));
        Assert.Equal("22.97", model.Order.Total);
        Assert.Null(model.Patron);
    }
}
