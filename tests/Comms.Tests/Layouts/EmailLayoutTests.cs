using Comms.Common;
using Comms.Layouts;
using Comms.Templates;
using Comms.Tests.Security;
using Comms.Tests.Templates;

namespace Comms.Tests.Layouts;

public sealed class EmailLayoutTests
{
    private static readonly LibraryLayout Branded = LayoutValidator.Validate(new LayoutRequest
    {
        LogoUrl = "https://cdn.riverside.example.org/logo.png",
        BrandColour = "#0B3D91",
        BrandTextColour = "#FFF",
        LinkColour = "#0b3d91",
        Address = "1 River Street\r\nRiverside RV1 2AB",
        FooterText = "Open Monday to Saturday, 9 to 5.",
        ContactLine = "Call 01234 567890 or ask at the desk.",
    }, TemplateTestData.Now);

    private readonly TemplateRenderer _renderer = new();

    [Fact]
    public void Render_ContentOnlyTemplate_IsFramedOnceInTheLibrarysLayout()
    {
        var model = TemplateTestData.OverdueModel();

        var email = _renderer.Render(TemplateTestData.Content(), model, Branded, "en-GB");

        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en-GB\">", email.Html, StringComparison.Ordinal);
        Assert.Single(Occurrences(email.Html, "<!DOCTYPE"));
        Assert.Contains("<title>Overdue: Alex Morgan</title>", email.Html, StringComparison.Ordinal);
        Assert.Contains("<p>Alex Morgan</p>", email.Html, StringComparison.Ordinal);
        Assert.Contains("<img src=\"https://cdn.riverside.example.org/logo.png\" alt=\"Riverside Library\"", email.Html, StringComparison.Ordinal);
        Assert.Contains("background-color:#0b3d91; color:#ffffff;", email.Html, StringComparison.Ordinal);
        Assert.Contains("Riverside Library<br>1 River Street<br>Riverside RV1 2AB", email.Html, StringComparison.Ordinal);
        Assert.Contains(EmailLayout.EngineFooterMarker, email.Html, StringComparison.Ordinal);
        Assert.Equal("Alex Morgan\n\nOpen Monday to Saturday, 9 to 5.\n\nCall 01234 567890 or ask at the desk.\n\n1 River Street\nRiverside RV1 2AB\n", email.Text);
    }

    [Fact]
    public void Render_WithoutALayout_UsesTheNeutralOneWithTheNameAsHeaderAndNoImage()
    {
        var email = _renderer.Render(TemplateTestData.Content(), TemplateTestData.OverdueModel());

        Assert.Contains("<html lang=\"en\">", email.Html, StringComparison.Ordinal);
        Assert.Contains(">Riverside Library</p>", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", email.Html, StringComparison.Ordinal);
        Assert.Equal("Alex Morgan", email.Text);
    }

    [Theory]
    [InlineData("<!DOCTYPE html>\n<html><body>{{patron.name}}</body></html>")]
    [InlineData("  <!-- ours -->\n<html lang=\"en\"><p>{{patron.name}}</p></html>")]
    [InlineData("<div><BODY style=\"x\">{{patron.name}}</BODY></div>")]
    public void Render_WholeDocumentTemplate_IsSentAsItIs(string html)
    {
        var model = TemplateTestData.OverdueModel();
        var content = TemplateTestData.Content(html: html);

        var email = _renderer.Render(content, model, Branded);

        Assert.Equal(_renderer.RenderContent(content, model), email);
    }

    [Theory]
    [InlineData("<p>Dear {{recipient.name}}</p>", false)]
    [InlineData("<p>The body of the text</p><p>no <bodyguard> here</p>", false)]
    [InlineData("<!-- unclosed comment <html>", false)]
    [InlineData("<!doctype html><p>x</p>", true)]
    [InlineData("<html>", true)]
    public void IsFullDocument_TellsDocumentsFromContent(string html, bool expected) =>
        Assert.Equal(expected, EmailLayout.IsFullDocument(html));

    [Fact]
    public void Render_HostileLayoutFields_AreEscapedAndAddNoElementOrAttribute()
    {
        const string Hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(1)> {{patron.name}} &";
        var layout = LayoutValidator.Validate(Neutral() with { Address = Hostile, FooterText = Hostile, ContactLine = Hostile }, TemplateTestData.Now);
        var model = TemplateTestData.OverdueModel() with { Library = new LibraryModel(Hostile, "desk@riverside.example.org") };

        var email = _renderer.Render(TemplateTestData.Content(), model, layout);

        var plain = LayoutValidator.Validate(Neutral() with { Address = "a\nb", FooterText = "c\nd", ContactLine = "e" }, TemplateTestData.Now);
        var benign = _renderer.Render(TemplateTestData.Content(), TemplateTestData.OverdueModel(), plain);
        Assert.Empty(HtmlShape.Tags(email.Html).Except(HtmlShape.Tags(benign.Html)));
        Assert.Equal(0, HtmlShape.StrayOpenings(Comms.Delivery.MessageBuilder.PlaceFooter(email.Html, string.Empty)));
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt; {{patron.name}} &amp;", email.Html, StringComparison.Ordinal);
        Assert.Contains(Hostile, email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadFields_NamesEachFieldAndSavesNothing()
    {
        var request = new LayoutRequest
        {
            LogoUrl = "http://riverside.example.org/logo.png",
            BrandColour = "#777777",
            BrandTextColour = "#ffffff",
            LinkColour = "blue",
            Address = string.Join('\n', Enumerable.Repeat("line", 7)),
            FooterText = "bell\a",
            ContactLine = "two\nlines",
        };

        var e = Assert.Throws<RequestValidationException>(() => LayoutValidator.Validate(request, TemplateTestData.Now));

        Assert.Equal(["address", "brandTextColour", "contactLine", "footerText", "linkColour", "logoUrl"], e.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("4.5:1", e.Errors["brandTextColour"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:image/png;base64,AAAA")]
    [InlineData("https://user:pw@riverside.example.org/logo.png")]
    [InlineData("https://127.0.0.1/logo.png")]
    [InlineData("https://riverside.example.org/a logo.png")]
    [InlineData("https://riverside.example.org/\"onerror=\"x")]
    public void Validate_LogoThatIsNotAPlainHttpsImageAddress_IsRefused(string url)
    {
        var e = Assert.Throws<RequestValidationException>(() => LayoutValidator.Validate(Neutral() with { LogoUrl = url }, TemplateTestData.Now));

        Assert.Equal(["logoUrl"], e.Errors.Keys);
    }

    [Theory]
    [InlineData("#000000", "#ffffff", 21.0)]
    [InlineData("#777777", "#ffffff", 4.48)]
    [InlineData("#1a56db", "#ffffff", 6.18)]
    public void Ratio_MatchesWcag(string a, string b, double expected)
    {
        Assert.True(Contrast.TryParse(a, out var x));
        Assert.True(Contrast.TryParse(b, out var y));

        Assert.Equal(expected, Contrast.Ratio(x, y), 2);
    }

    private static LayoutRequest Neutral() => new()
    {
        BrandColour = LibraryLayout.Default.BrandColour,
        BrandTextColour = LibraryLayout.Default.BrandTextColour,
        LinkColour = LibraryLayout.Default.LinkColour,
    };

    private static IEnumerable<int> Occurrences(string text, string part)
    {
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            yield return i;
        }
    }
}
