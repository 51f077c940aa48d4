using Comms.Print;

namespace Comms.Tests.Print;

/// <summary>The batch PDF, parsed back: one page per notice, each naming its own reader and letter, nothing needing a font file.</summary>
public sealed class PrintPdfTests
{
    private static PrintItem Item(string id, string name, string heading, string body, string? address = null) => new()
    {
        Id = id.PadRight(64, '0'),
        LibraryId = "lib",
        Scenario = "overdue",
        RecipientName = name,
        PostalAddress = address,
        Heading = heading,
        Body = body,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void Write_ThreeNotices_ThreePagesEachWithItsOwnReaderAndText()
    {
        var items = new[]
        {
            Item("a", "Ada Lovelace", "Overdue items", "- Middlemarch (due 1 March)", "1 High Street\nLeeds LS1 1AA"),
            Item("b", "Brontë (Charlotte)", "Items recalled", "- Jane Eyre \\ vol. 2"),
            Item("c", "Carl", "Overdue items", "- Dune"),
        };

        var pages = PdfPages.Text(PrintPdf.Write("North Library", new DateOnly(2026, 12, 3), items));

        Assert.Equal(3, pages.Count);
        Assert.Contains("Ada Lovelace", pages[0], StringComparison.Ordinal);
        Assert.Contains("Leeds LS1 1AA", pages[0], StringComparison.Ordinal);
        Assert.Contains("Middlemarch", pages[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Jane Eyre", pages[0], StringComparison.Ordinal);
        Assert.Contains("Items recalled", pages[1], StringComparison.Ordinal);
        Assert.Contains("Jane Eyre \\ vol. 2", pages[1], StringComparison.Ordinal);
        Assert.Contains("(no postal address on file", pages[1], StringComparison.Ordinal);
        Assert.Contains("Dune", pages[2], StringComparison.Ordinal);
        Assert.All(pages, p => Assert.Contains("North Library", p, StringComparison.Ordinal));
        Assert.Contains("page 2 of 3", pages[1], StringComparison.Ordinal);
    }

    [Fact]
    public void BodyOf_ALetterLongerThanAPage_IsCutToThePageAndLinesToItsWidth()
    {
        var body = string.Join('\n', Enumerable.Range(1, 100).Select(i => $"Line {i} " + new string('x', 120)));

        var lines = PrintPdf.BodyOf(body);

        Assert.Equal(PrintPdf.BodyLines, lines.Count);
        Assert.All(lines, l => Assert.True(l.Length <= PrintPdf.Columns, l));
        Assert.EndsWith("...", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Escape_CharactersOutsideWinAnsi_BecomeQuestionMarksAndLatin1IsOctal()
    {
        Assert.Equal("\\(a\\) \\351 ? \\200", PrintPdf.Escape("(a) é ł €"));
    }

    [Fact]
    public void Render_EveryShippedPrintText_RendersAHeadingAndTheLetterFromTheScenarioSample()
    {
        var renderer = new Comms.Templates.TemplateRenderer();
        foreach (var scenario in PrintTemplates.Scenarios)
        {
            var model = Comms.Templates.SampleReaders.Model(new Comms.Scenarios.ScenarioKey(scenario), DateTimeOffset.UtcNow);

            var page = PrintTemplates.Render(renderer, PrintTemplates.DefaultFor(scenario), model);

            Assert.NotNull(page);
            Assert.True(Comms.Sms.SmsTemplates.Has(scenario), $"{scenario}: print is offered where SMS is");
            Assert.DoesNotContain("{{", page.Heading + page.Body, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', page.Heading);
            Assert.Contains(model.Library.Name, page.Body, StringComparison.Ordinal);
            Assert.InRange(PrintPdf.BodyOf(page.Body).Count, 3, PrintPdf.BodyLines - 1);
        }

        Assert.False(PrintTemplates.Has(Comms.Scenarios.Scenario.PasswordReset));
    }
}
