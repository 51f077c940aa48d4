using System.Net;
using System.Text.Json;
using Comms.Contacts;
using Comms.EmailLog;
using Comms.Functions.Preferences;
using Comms.Notices;
using Comms.Preferences;
using Comms.Scenarios;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Preferences;

/// <summary>
/// The contact self-service page behind the m2 footer link of a household email listing several patrons, over real
/// HTTP with the real dispatcher and pickup .eml: the page lists no patron, a save sets the address's ContactOptOuts
/// row (audited) and the next digest honours it; a crafted post cannot turn a mandatory notice off; forged, expired,
/// patron or revoked links are refused; the stored message copy masks both contact links.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ContactSelfServiceHttpTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private const string Parent = "parent.p1@home.example.org";
    private DevHostServer _host = null!;
    private string _key = null!;
    private string _pickup = null!;
    private readonly string _lib = $"cself{Guid.NewGuid():N}"[..16];

    public async Task InitializeAsync()
    {
        _pickup = Path.Combine(Path.GetTempPath(), "comms-tests", Guid.NewGuid().ToString("N"));
        _host = await DevHostServer.StartAsync(emulators, s => s["Comms:Email:Pickup:Directory"] = _pickup);
        _key = await _host.Client.CreateLibraryAsync(_lib);
        using var put = await Send(HttpMethod.Put, $"/api/libraries/{_lib}/patrons/p1", Samples.Patron("p1"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task HouseholdDigest_FooterLink_PageListsNoPatron_SaveTurnsOffForAllPatronsAndTheNextDigestIsSkipped()
    {
        // Arrange: an optional household email listing two children.
        await DigestAsync(Scenario.PreOverdue, "d1");
        var eml = Eml("d1");
        var link = ManageLink(eml.TextBody);

        // Act
        using var page = await GetPageAsync(PathOf(link));
        var html = await page.Content.ReadAsStringAsync();
        using var saved = await PostFormAsync(PathOf(link), ("save", "1"), ("on", "welcome"), ("on", "reservation-ready"));
        var savedHtml = await saved.Content.ReadAsStringAsync();
        var row = await ContactAsync();
        await DigestAsync(Scenario.PreOverdue, "d2");
        await PerPatronAsync(Scenario.PreOverdue, "n1");

        // Assert: the link is in the text and HTML footers, beside the one-click unsubscribe.
        Assert.Contains("token=m2.", link, StringComparison.Ordinal);
        Assert.Contains(TokenOf(link), eml.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("token=c1.", eml.Headers[HeaderId.ListUnsubscribe], StringComparison.Ordinal);

        // The page: the address's notices, no patron named (the email listed two), nothing to choose but notices.
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(UnsubscribePage.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single().Split("; style-src")[0]);
        Assert.Equal("no-store", page.Headers.CacheControl!.ToString());
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("about the readers you are a contact for", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Patron p1", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Patron p2", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Parent of p1", html, StringComparison.Ordinal);
        Assert.Contains("id=\"s-overdue\" name=\"on\" value=\"overdue\" checked disabled", html, StringComparison.Ordinal);
        Assert.Contains("id=\"s-pre-overdue\" name=\"on\" value=\"pre-overdue\" checked aria-describedby", html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"password-reset\"", html, StringComparison.Ordinal); // never sent to a contact
        Assert.DoesNotContain("preOverdueDaysBefore", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"delivery\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"language\"", html, StringComparison.Ordinal);

        // The save: every optional notice not ticked is off for the address as a contact of every patron, audited.
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("role=\"status\"", savedHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"s-pre-overdue\" name=\"on\" value=\"pre-overdue\" aria-describedby", savedHtml, StringComparison.Ordinal);
        var off = row.GetProperty("offForAllPatrons").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("pre-overdue", off);
        Assert.DoesNotContain("welcome", off);
        Assert.DoesNotContain("reservation-ready", off);
        Assert.DoesNotContain("overdue", off);
        Assert.Equal(SelfService.AuditBy, row.GetProperty("audit")[0].GetProperty("by").GetString());

        var log = await LogAsync();
        Assert.Equal(EmailStatus.Skipped, log.Single(e => e.SubjectRecordId == "d2").Status);
        Assert.Equal(EmailStatus.Skipped, log.Single(e => e.SubjectRecordId == "n1" && e.Address == Parent).Status);
        Assert.Equal(EmailStatus.Sent, log.Single(e => e.SubjectRecordId == "n1" && e.Address == "p1@pupils.example.org").Status);
    }

    [Fact]
    public async Task MandatoryDigest_CarriesThePageLinkOnly_AndACraftedPostCannotTurnAMandatoryNoticeOff()
    {
        await DigestAsync(Scenario.Overdue, "o1");
        var eml = Eml("o1");
        var link = ManageLink(eml.TextBody);

        using var crafted = await PostFormAsync(PathOf(link), ("save", "1"), ("on", "welcome"));
        using var formless = await _host.Client.PostAsync(PathOf(link), new StringContent("{}"));
        var row = await ContactAsync();

        Assert.Null(eml.Headers[HeaderId.ListUnsubscribe]);
        Assert.Contains("token=m2.", link, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, crafted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, formless.StatusCode);
        var off = row.GetProperty("offForAllPatrons").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.DoesNotContain("overdue", off);
        Assert.DoesNotContain("escalation", off);
        Assert.DoesNotContain("recall", off);
        Assert.DoesNotContain("declared-lost", off);
        Assert.Single(row.GetProperty("audit").EnumerateArray()); // the page's save; the formless post changed nothing
    }

    [Fact]
    public async Task MessageCopy_OfAContactDigest_MasksBothContactLinks()
    {
        await DigestAsync(Scenario.PreOverdue, "m1");
        var noticeId = (await LogAsync()).Single(e => e.SubjectRecordId == "m1" && e.Status == EmailStatus.Sent).NoticeId;
        var eml = MimeMessage.Load(Path.Combine(_pickup, noticeId + ".eml"));
        var manage = TokenOf(ManageLink(eml.TextBody));
        var unsubscribe = TokenOf(eml.Headers[HeaderId.ListUnsubscribe]!.Trim()[1..^1]);

        using var response = await Send(HttpMethod.Get, $"/api/libraries/{_lib}/email-log/notices/{noticeId}/message");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(manage, body, StringComparison.Ordinal);
        Assert.DoesNotContain(unsubscribe, body, StringComparison.Ordinal);
        Assert.DoesNotContain("token=", body, StringComparison.Ordinal);
        var copy = await response.JsonAsync();
        Assert.Contains("Your email preferences: [hidden]", copy["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Unsubscribe: [hidden]", copy["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(copy["headers"]!.AsArray(), h => h!["name"]!.GetValue<string>() == "List-Unsubscribe" && h["value"]!.GetValue<string>() == "<[hidden]>");
    }

    [Fact]
    public async Task ForgedExpiredPatronOrRevokedLinks_Are403AndChangeNothing()
    {
        var links = _host.Services.GetRequiredService<UnsubscribeLinks>();
        var valid = TokenOf(links.ContactManageLinkFor(_lib, Parent, null)!);
        var parts = valid.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{new string('A', parts[2].Length)}";
        var past = new FixedTime(DateTimeOffset.UtcNow.AddDays(-200));
        var expired = new UnsubscribeLinks(_host.Services.GetRequiredService<IOptions<PreferenceOptions>>(), past)
            .Sign(new ContactManageToken(_lib, UnsubscribeLinks.AddressHash(Parent), null, past.GetUtcNow(), past.GetUtcNow().AddDays(30)));
        var otherKey = new UnsubscribeLinks(Options.Create(new PreferenceOptions { LinkKey = new string('k', 40), PublicBaseUrl = "https://comms.test" }), TimeProvider.System)
            .Sign(new ContactManageToken(_lib, UnsubscribeLinks.AddressHash(Parent), null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1)));
        var unsubscribeAsPage = links.Sign(new ContactUnsubscribeToken(_lib, UnsubscribeLinks.AddressHash(Parent), Scenario.Welcome, DateTimeOffset.UtcNow.AddDays(1)));
        var relabelled = "m2" + unsubscribeAsPage[2..]; // a c1 payload and signature under the m2 label

        foreach (var bad in new[] { forged, expired, otherKey, relabelled, "m2.garbage" })
        {
            using var get = await GetPageAsync(PagePath(bad));
            using var post = await PostFormAsync(PagePath(bad), ("save", "1"));
            Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        }

        // The library revokes the address's links: the one sent before stops working, a fresh one works.
        using var before = await GetPageAsync(PagePath(valid));
        using var otherLibrary = await _host.Client.SendAsync(Request(
            HttpMethod.Post, $"/api/libraries/{_lib}/contacts/{Parent}/preferences/revoke-links", null, libraryKey: await _host.Client.CreateLibraryAsync($"crev{Guid.NewGuid():N}"[..16])));
        using var revoke = await Send(HttpMethod.Post, $"/api/libraries/{_lib}/contacts/{Parent}/preferences/revoke-links");
        using var after = await PostFormAsync(PagePath(valid), ("save", "1"));
        var row = await ContactAsync();
        // Tokens carry whole seconds, so a link issued in the revocation's own second is refused too: "fresh" is a later one.
        var later = DateTimeOffset.UtcNow.AddSeconds(2);
        using var fresh = await GetPageAsync(PagePath(links.Sign(new ContactManageToken(_lib, UnsubscribeLinks.AddressHash(Parent), null, later, later.AddDays(1)))));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.True(otherLibrary.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, otherLibrary.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
        Assert.Equal(0, row.GetProperty("offForAllPatrons").GetArrayLength());
        Assert.Equal("self-service links revoked", row.GetProperty("audit")[0].GetProperty("changes")[0].GetString());
        Assert.Single(row.GetProperty("audit").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task Page_ForAFrenchReader_IsInFrenchScenarioTitlesIncluded()
    {
        // A household email to a parent who reads French (the contact digest carries the contact's language).
        await DigestAsync(Scenario.PreOverdue, "f1", language: "fr-FR");
        var link = ManageLink(Eml("f1").TextBody);

        var html = WebUtility.HtmlDecode(await (await GetPageAsync(PathOf(link))).Content.ReadAsStringAsync());

        Assert.Contains("<html lang=\"fr\">", html, StringComparison.Ordinal);
        Assert.Contains("au sujet des lecteurs dont vous êtes le contact", html, StringComparison.Ordinal);
        Assert.Contains(">Bientôt à rendre</label>", html, StringComparison.Ordinal);
        Assert.Contains(">Bienvenue</label>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">Due soon</label>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeLinks_BadAddress_Is400ByTheField()
    {
        using var bad = await Send(HttpMethod.Post, $"/api/libraries/{_lib}/contacts/not-an-address/preferences/revoke-links");

        await bad.AssertProblemAsync(400, "address");
    }

    /// <summary>A household email listing two children, as ContactDigests sends it.</summary>
    private async Task DigestAsync(Scenario scenario, string subject, string? language = null) =>
        await _host.Services.GetRequiredService<INoticeDispatcher>().DispatchAsync(new NoticeRequest
        {
            LibraryId = _lib,
            Scenario = new ScenarioKey(scenario),
            SubjectRecordId = subject,
            ScheduledFor = DateOnly.FromDateTime(DateTime.UtcNow),
            ContactDigest = new ContactDigestFact(ContactShape.Household, "Parent of p1", Parent, ContactRole.Parent, language,
            [
                new PatronLoansFact("p1", "Patron p1", "Year 7", [new LoanFact(subject + "a", "Holes", null, null, DateTimeOffset.UtcNow.AddDays(2))]),
                new PatronLoansFact("p2", "Patron p2", "Year 7", [new LoanFact(subject + "b", "Wonder", null, null, DateTimeOffset.UtcNow.AddDays(2))]),
            ]),
        });

    private async Task PerPatronAsync(Scenario scenario, string subject) =>
        await _host.Services.GetRequiredService<INoticeDispatcher>().DispatchAsync(new NoticeRequest
        {
            LibraryId = _lib,
            Scenario = new ScenarioKey(scenario),
            SubjectRecordId = subject,
            PatronId = "p1",
            Roles = [ContactRole.Patron, ContactRole.Parent],
            ScheduledFor = DateOnly.FromDateTime(DateTime.UtcNow),
            Loans = [new LoanFact(subject, "Dune", null, null, DateTimeOffset.UtcNow.AddDays(2))],
        });

    private MimeMessage Eml(string subject)
    {
        var log = LogAsync().GetAwaiter().GetResult();
        var noticeId = log.Single(e => e.SubjectRecordId == subject && e.Address == Parent && e.Status == EmailStatus.Sent).NoticeId;
        return MimeMessage.Load(Path.Combine(_pickup, noticeId + ".eml"));
    }

    /// <summary>The footer's "Your email preferences: https://…" link of a plain-text body.</summary>
    private static string ManageLink(string? text)
    {
        text ??= string.Empty;
        var at = text.IndexOf("https://", text.IndexOf("Your email preferences:", StringComparison.Ordinal), StringComparison.Ordinal);
        var end = text.IndexOfAny([' ', '\r', '\n'], at);
        return end < 0 ? text[at..] : text[at..end];
    }

    private static string PathOf(string link) => new Uri(link).PathAndQuery;

    private static string PagePath(string token) => $"/api/preferences/manage?token={Uri.EscapeDataString(token)}";

    private static string TokenOf(string link) => Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]);

    private Task<HttpResponseMessage> GetPageAsync(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        return _host.Client.SendAsync(request);
    }

    private Task<HttpResponseMessage> PostFormAsync(string path, params (string Name, string Value)[] fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        request.Headers.Accept.ParseAdd("text/html");
        return _host.Client.SendAsync(request);
    }

    private async Task<JsonElement> ContactAsync()
    {
        using var response = await Send(HttpMethod.Get, $"/api/libraries/{_lib}/contacts/{Parent}/preferences");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<IReadOnlyList<EmailLogEntry>> LogAsync() =>
        (await _host.Services.GetRequiredService<EmailLogStore>().QueryAsync(_lib, new EmailLogQuery { PageSize = 1000 })).Items;

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body = null) =>
        _host.Client.SendAsync(Request(method, path, body, libraryKey: _key));

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
