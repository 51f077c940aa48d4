using System.Net;
using System.Text.Json;
using Comms.Preferences;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Preferences;

/// <summary>
/// The self-service page's form over real HTTP (the browser tests drive the same page by keyboard): what a crafted
/// post may and may not change, field by field.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class SelfServiceHttpTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private DevHostServer _host = null!;
    private string _key = null!;
    private readonly string _lib = $"self{Guid.NewGuid():N}"[..16];

    public async Task InitializeAsync()
    {
        _host = await DevHostServer.StartAsync(emulators);
        _key = await _host.Client.CreateLibraryAsync(_lib);
        foreach (var id in new[] { "p1", "p2", "p3", "p4" })
        {
            using var put = await Send(HttpMethod.Put, $"/api/libraries/{_lib}/patrons/{id}", Samples.Patron(id));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("0")]
    [InlineData("8")]
    [InlineData("three")]
    [InlineData("-1")]
    public async Task Save_CourtesyDaysOutsideTheLibrarysRange_Is400WithTheMessageByTheFieldAndNothingStored(string days)
    {
        var token = Token("p1", "p1@pupils.example.org");

        using var post = await PostFormAsync(token, ("save", "1"), ("preOverdueDaysBefore", days));
        var page = await post.Content.ReadAsStringAsync();
        var stored = await PreferencesAsync("p1");

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Contains("<select id=\"days\" name=\"preOverdueDaysBefore\" aria-describedby=\"days-hint\" aria-invalid=\"true\">", page, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", page, StringComparison.Ordinal);
        Assert.False(stored.TryGetProperty("preOverdueDaysBefore", out _));
        Assert.Equal(0, stored.GetProperty("audit").GetArrayLength());
    }

    [Fact]
    public async Task Save_CourtesyDaysInRange_StoredForThePatron_AndAContactsPostCannotChangeThem()
    {
        using var own = await PostFormAsync(Token("p2", "p2@pupils.example.org"), ("save", "1"), ("preOverdueDaysBefore", "6"), ("on", "welcome"));
        var contactPage = await (await _host.Client.GetAsync($"/api/preferences/manage?token={Uri.EscapeDataString(Token("p2", "parent.p2@home.example.org"))}")).Content.ReadAsStringAsync();
        using var contact = await PostFormAsync(Token("p2", "parent.p2@home.example.org"), ("save", "1"), ("preOverdueDaysBefore", "2"), ("on", "welcome"));
        var stored = await PreferencesAsync("p2");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("<option value=\"6\" selected>6</option>", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("preOverdueDaysBefore", contactPage, StringComparison.Ordinal); // a contact's page has no such field
        Assert.Equal(HttpStatusCode.OK, contact.StatusCode);
        Assert.Equal(6, stored.GetProperty("preOverdueDaysBefore").GetInt32());
    }

    [Fact]
    public async Task Save_Delivery_PerItemForThePatron_UnknownValueIs400_AContactsPostIgnored()
    {
        using var bad = await PostFormAsync(Token("p3", "p3@pupils.example.org"), ("save", "1"), ("delivery", "weekly"));
        var afterBad = await PreferencesAsync("p3");
        using var contact = await PostFormAsync(Token("p3", "parent.p3@home.example.org"), ("save", "1"), ("delivery", "perItem"), ("on", "welcome"));
        var afterContact = await PreferencesAsync("p3");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Use &quot;digest&quot;", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("digest", afterBad.GetProperty("delivery").GetString());
        Assert.Equal(HttpStatusCode.OK, contact.StatusCode);
        Assert.Equal("digest", afterContact.GetProperty("delivery").GetString());

        using var own = await PostFormAsync(Token("p3", "p3@pupils.example.org"), ("save", "1"), ("delivery", "perItem"), ("on", "welcome"));
        var page = await own.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("value=\"perItem\" checked", page, StringComparison.Ordinal);
        Assert.Equal("perItem", (await PreferencesAsync("p3")).GetProperty("delivery").GetString());
    }

    [Fact]
    public async Task Save_Language_ForTheAddressItself_UnofferedIs400_PagesSayTheLanguageTheirWordsAreIn()
    {
        // Arrange: the library system chose Welsh for p4 (a language the engine has no page words for).
        using var put = await Send(HttpMethod.Put, $"/api/libraries/{_lib}/patrons/p4/preferences", new { language = "cy-GB" });
        var patronToken = Token("p4", "p4@pupils.example.org");
        var parentToken = Token("p4", "parent.p4@home.example.org");

        // Act
        var welsh = await (await GetPageAsync(patronToken)).Content.ReadAsStringAsync();
        using var bad = await PostFormAsync(patronToken, ("save", "1"), ("language", "tlh"));
        var afterBad = await PreferencesAsync("p4");
        using var parent = await PostFormAsync(parentToken, ("save", "1"), ("language", "en"), ("on", "welcome"));
        using var own = await PostFormAsync(patronToken, ("save", "1"), ("language", ""), ("on", "welcome"));
        var stored = await PreferencesAsync("p4");

        // Assert: English words say lang="en" whatever the reader reads; the Welsh choice is offered to keep.
        Assert.Contains("<html lang=\"en\">", welsh, StringComparison.Ordinal);
        Assert.Contains("<option value=\"cy-GB\" lang=\"cy-GB\" selected>", welsh, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Choose one of the languages listed.", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("cy-GB", afterBad.GetProperty("language").GetString());
        Assert.Equal(HttpStatusCode.OK, parent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.False(stored.TryGetProperty("language", out _)); // empty: back to the library's choice
        var parentPrefs = stored.GetProperty("contacts").EnumerateArray().Single(c => c.GetProperty("role").GetString() == "parent");
        Assert.Equal("en", parentPrefs.GetProperty("language").GetString());
    }

    [Fact]
    public async Task Page_ReaderWhoChoseFrench_ReadsItInFrenchAndLangSaysSo()
    {
        using var put = await Send(HttpMethod.Put, $"/api/libraries/{_lib}/patrons/p3/preferences", new { language = "fr-FR" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var page = await (await GetPageAsync(Token("p3", "p3@pupils.example.org"))).Content.ReadAsStringAsync();

        Assert.Contains("<html lang=\"fr\">", page, StringComparison.Ordinal);
        Assert.Contains("vos préférences d'e-mail", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Contains(">Enregistrer mes choix</button>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Save my choices", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsubscribePage_ReaderWhoChoseGerman_NamesTheNoticeInGerman()
    {
        using var put = await Send(HttpMethod.Put, $"/api/libraries/{_lib}/patrons/p2/preferences", new { language = "de-DE" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var library = (await _host.Services.GetRequiredService<Comms.Libraries.LibraryStore>().GetAsync(_lib))!;
        var link = _host.Services.GetRequiredService<UnsubscribeLinks>().LinkFor(library, Comms.Scenarios.Scenario.Welcome, "p2", "p2@pupils.example.org")!;

        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(link).PathAndQuery);
        request.Headers.Accept.ParseAdd("text/html");
        var page = await (await _host.Client.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains("<html lang=\"de\">", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Willkommen</strong>-E-Mails", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<strong>Welcome</strong>", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "en")]
    [InlineData("en", "en")]
    [InlineData("EN-gb", "en")]
    [InlineData("cy-GB", "en")]
    [InlineData("fr", "fr")]
    [InlineData("fr-CA", "fr")]
    [InlineData("es-MX", "es")]
    [InlineData("de-AT", "de")]
    [InlineData("nl", "en")]
    public void Texts_ForAReadersLanguage_FallBackToEnglishAndNameTheirOwnLanguage(string? reader, string expected)
    {
        var (language, texts) = PreferenceTexts.For(reader);

        Assert.Equal(expected, language);
        Assert.Same(PreferenceTexts.Catalogue[expected], texts);
    }

    private Task<HttpResponseMessage> GetPageAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/preferences/manage?token={Uri.EscapeDataString(token)}");
        request.Headers.Accept.ParseAdd("text/html");
        return _host.Client.SendAsync(request);
    }

    private string Token(string patronId, string address)
    {
        var link = _host.Services.GetRequiredService<UnsubscribeLinks>().ManageLinkFor(_lib, patronId, address)!;
        return Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]);
    }

    private Task<HttpResponseMessage> PostFormAsync(string token, params (string Name, string Value)[] fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/preferences/manage?token={Uri.EscapeDataString(token)}")
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        request.Headers.Accept.ParseAdd("text/html");
        return _host.Client.SendAsync(request);
    }

    private async Task<JsonElement> PreferencesAsync(string patronId)
    {
        using var get = await Send(HttpMethod.Get, $"/api/libraries/{_lib}/patrons/{patronId}/preferences");
        return JsonDocument.Parse(await get.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body = null) =>
        _host.Client.SendAsync(Request(method, path, body, libraryKey: _key));
}
