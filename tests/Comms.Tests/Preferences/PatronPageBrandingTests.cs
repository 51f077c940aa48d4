using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Comms.Libraries;
using Comms.Preferences;
using Comms.Scenarios;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Preferences;

/// <summary>
/// The library's layout on the patron pages over real HTTP: the colours in one style block whose hash the policy
/// names (and nothing looser), the logo allowed from its own https origin only, and no branding at all on a page
/// whose link did not verify.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class PatronPageBrandingTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private DevHostServer _host = null!;
    private string _key = null!;
    private readonly string _lib = $"brand{Guid.NewGuid():N}"[..16];

    public async Task InitializeAsync()
    {
        _host = await DevHostServer.StartAsync(emulators);
        _key = await _host.Client.CreateLibraryAsync(_lib);
        using var patron = await _host.Client.SendAsync(Request(HttpMethod.Put, $"/api/libraries/{_lib}/patrons/p1", Samples.Patron("p1"), libraryKey: _key));
        Assert.Equal(HttpStatusCode.OK, patron.StatusCode);
        using var layout = await _host.Client.SendAsync(Request(HttpMethod.Put, $"/api/libraries/{_lib}/layout",
            new { logoUrl = "https://cdn.library.example.org/img/logo.png", brandColour = "#7a1f5c", brandTextColour = "#ffffff", linkColour = "#1a56db" }, libraryKey: _key));
        Assert.Equal(HttpStatusCode.OK, layout.StatusCode);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task UnsubscribeAndManagePages_OfPatronsAndContacts_WearTheLayout_PolicyAllowsExactlyItsStyleAndLogoOrigin()
    {
        var library = (await _host.Services.GetRequiredService<LibraryStore>().GetAsync(_lib))!;
        var links = _host.Services.GetRequiredService<UnsubscribeLinks>();
        var unsubscribe = new Uri(links.LinkFor(library, Scenario.Welcome, "p1", "p1@pupils.example.org")!).PathAndQuery;
        var manage = new Uri(links.ManageLinkFor(_lib, "p1", "p1@pupils.example.org")!).PathAndQuery;
        var contactUnsubscribe = new Uri(links.ContactLinkFor(library, Scenario.Welcome, "parent.p1@home.example.org")!).PathAndQuery;
        var contactManage = new Uri(links.ContactManageLinkFor(_lib, "parent.p1@home.example.org", null)!).PathAndQuery;

        foreach (var path in new[] { unsubscribe, manage, contactUnsubscribe, contactManage })
        {
            using var response = await _host.Client.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var style = Regex.Match(html, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
            Assert.Contains("background:#7a1f5c", style, StringComparison.Ordinal);
            Assert.Contains($"style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)))}'", policy, StringComparison.Ordinal);
            Assert.Contains("img-src https://cdn.library.example.org;", policy + ";", StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
            Assert.StartsWith("default-src 'none'", policy, StringComparison.Ordinal);
            Assert.Contains($"<header><img src=\"https://cdn.library.example.org/img/logo.png\" alt=\"Library {_lib}\"></header>", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LinkThatDoesNotVerify_PlainPageAndTheBasePolicy()
    {
        using var response = await _host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/preferences/unsubscribe?token=u1.forged.token")
        {
            Headers = { { "Accept", "text/html" } },
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("<style>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<header>", html, StringComparison.Ordinal);
        Assert.Equal("default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }
}
