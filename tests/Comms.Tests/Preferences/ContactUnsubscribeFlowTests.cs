using System.Net;
using System.Text.Json;
using Comms.Contacts;
using Comms.EmailLog;
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
/// The contact-level link of a household email listing several patrons, over real HTTP with the real dispatcher and
/// pickup .eml: the c1 link turns a scenario off for the address as a contact of every patron (one row), the next
/// digest and the contact's per-patron notices are skipped, the patron's own notice still goes, the library reads and
/// clears it; forged, expired or mandatory links change nothing; another library's row is never touched.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ContactUnsubscribeFlowTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private const string Parent = "parent.p1@home.example.org";
    private DevHostServer _host = null!;
    private string _key = null!;
    private string _pickup = null!;
    private readonly string _lib = $"cunsub{Guid.NewGuid():N}"[..16];

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
    public async Task HouseholdDigest_OneClick_StopsTheNextDigestAndContactNotices_NotThePatronsOwn()
    {
        await DigestAsync(_lib, Scenario.PreOverdue, "d1");
        var eml = Eml(Parent, "d1");
        var link = eml.Headers[HeaderId.ListUnsubscribe]!.Trim()[1..^1];

        using var get = await _host.Client.GetAsync(PathOf(link));
        var afterGet = await ContactAsync(_key, _lib);
        using var post = await OneClickAsync(PathOf(link));
        var afterPost = await ContactAsync(_key, _lib);
        var patronView = await PatronPreferencesAsync();
        await DigestAsync(_lib, Scenario.PreOverdue, "d2");
        await PerPatronAsync(Scenario.PreOverdue, "n1");

        Assert.StartsWith("https://", link, StringComparison.Ordinal);
        Assert.Contains("token=c1.", link, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", eml.Headers["List-Unsubscribe-Post"]);
        Assert.Contains(link, eml.TextBody, StringComparison.Ordinal);
        Assert.Contains("preferences/manage?token=m2.", eml.TextBody, StringComparison.Ordinal); // the address's own page, not one patron's (m1)
        Assert.DoesNotContain("token=m1.", eml.TextBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Contains("<form method=\"post\"", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, afterGet.GetProperty("offForAllPatrons").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Contains("no longer receive", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("pre-overdue", afterPost.GetProperty("offForAllPatrons")[0].GetString());
        Assert.Equal("unsubscribe-link", afterPost.GetProperty("audit")[0].GetProperty("by").GetString());
        var parentView = patronView.GetProperty("contacts").EnumerateArray().Single(c => c.GetProperty("role").GetString() == "parent");
        Assert.Equal("pre-overdue", parentView.GetProperty("offForAllPatrons")[0].GetString());

        var log = await LogAsync(_lib);
        Assert.Equal(EmailStatus.Skipped, log.Single(e => e.SubjectRecordId == "d2").Status);
        Assert.Equal(EmailStatus.Skipped, log.Single(e => e.SubjectRecordId == "n1" && e.Address == Parent).Status);
        Assert.Equal(EmailStatus.Sent, log.Single(e => e.SubjectRecordId == "n1" && e.Address == "p1@pupils.example.org").Status);

        // The library clears it; the next digest goes again.
        using var clear = await Send(HttpMethod.Put, $"/api/libraries/{_lib}/contacts/{Parent}/preferences", new { offForAllPatrons = Array.Empty<string>() });
        await DigestAsync(_lib, Scenario.PreOverdue, "d3");
        Assert.Equal(HttpStatusCode.OK, clear.StatusCode);
        Assert.Equal(EmailStatus.Sent, (await LogAsync(_lib)).Single(e => e.SubjectRecordId == "d3").Status);
    }

    [Fact]
    public async Task ForgedExpiredOrOtherKey_Is403AndChangesNothing()
    {
        await DigestAsync(_lib, Scenario.PreOverdue, "f1");
        var token = TokenOf(Eml(Parent, "f1").Headers[HeaderId.ListUnsubscribe]!.Trim()[1..^1]);
        var parts = token.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{new string('A', parts[2].Length)}";
        var past = new FixedTime(DateTimeOffset.UtcNow.AddDays(-200));
        var expired = new UnsubscribeLinks(_host.Services.GetRequiredService<IOptions<PreferenceOptions>>(), past)
            .Sign(new ContactUnsubscribeToken(_lib, UnsubscribeLinks.AddressHash(Parent), Scenario.PreOverdue, past.GetUtcNow().AddDays(90)));
        var otherKey = new UnsubscribeLinks(Options.Create(new PreferenceOptions { LinkKey = new string('k', 40), PublicBaseUrl = "https://comms.test" }), TimeProvider.System)
            .Sign(new ContactUnsubscribeToken(_lib, UnsubscribeLinks.AddressHash(Parent), Scenario.PreOverdue, DateTimeOffset.UtcNow.AddDays(1)));

        foreach (var bad in new[] { forged, expired, otherKey, "c1.garbage" })
        {
            using var post = await OneClickAsync($"/api/preferences/unsubscribe?token={Uri.EscapeDataString(bad)}");
            using var get = await _host.Client.GetAsync($"/api/preferences/unsubscribe?token={Uri.EscapeDataString(bad)}");
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        }

        var after = await ContactAsync(_key, _lib);
        Assert.Equal(0, after.GetProperty("offForAllPatrons").GetArrayLength());
        Assert.Equal(0, after.GetProperty("audit").GetArrayLength());
    }

    [Fact]
    public async Task Mandatory_NoLinkInTheDigest_AndASignedLinkForItIs409()
    {
        await DigestAsync(_lib, Scenario.Overdue, "o1");
        var eml = Eml(Parent, "o1");
        var signed = _host.Services.GetRequiredService<UnsubscribeLinks>()
            .Sign(new ContactUnsubscribeToken(_lib, UnsubscribeLinks.AddressHash(Parent), Scenario.Overdue, DateTimeOffset.UtcNow.AddDays(1)));

        using var post = await OneClickAsync($"/api/preferences/unsubscribe?token={signed}");
        var after = await ContactAsync(_key, _lib);

        Assert.Null(eml.Headers[HeaderId.ListUnsubscribe]);
        Assert.Null(eml.Headers["List-Unsubscribe-Post"]);
        Assert.Equal("auto-generated", eml.Headers["Auto-Submitted"]);
        Assert.Equal(HttpStatusCode.Conflict, post.StatusCode);
        Assert.Equal(0, after.GetProperty("offForAllPatrons").GetArrayLength());
    }

    [Fact]
    public async Task AnotherLibrarysAddress_NotTouchedByThisLibrarysLink()
    {
        var other = $"cother{Guid.NewGuid():N}"[..16];
        var otherKey = await _host.Client.CreateLibraryAsync(other);
        await DigestAsync(_lib, Scenario.PreOverdue, "t1");

        using var post = await OneClickAsync(PathOf(Eml(Parent, "t1").Headers[HeaderId.ListUnsubscribe]!.Trim()[1..^1]));
        await DigestAsync(other, Scenario.PreOverdue, "t2");
        using var crossRead = await _host.Client.SendAsync(Request(HttpMethod.Get, $"/api/libraries/{_lib}/contacts/{Parent}/preferences", null, libraryKey: otherKey));

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(0, (await ContactAsync(otherKey, other)).GetProperty("offForAllPatrons").GetArrayLength());
        Assert.Equal(EmailStatus.Sent, (await LogAsync(other)).Single(e => e.SubjectRecordId == "t2").Status);
        Assert.True(crossRead.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or HttpStatusCode.NotFound, crossRead.StatusCode.ToString());
    }

    [Fact]
    public async Task Put_BadInput_Is400ByFieldAndChangesNothing()
    {
        using var unknown = await Send(HttpMethod.Put, $"/api/libraries/{_lib}/contacts/{Parent}/preferences", new { offForAllPatrons = new[] { "pre-overdue", "nonsense" } });
        using var mandatory = await Send(HttpMethod.Put, $"/api/libraries/{_lib}/contacts/{Parent}/preferences", new { offForAllPatrons = new[] { "overdue" } });
        using var missing = await Send(HttpMethod.Put, $"/api/libraries/{_lib}/contacts/{Parent}/preferences", new { });
        using var address = await Send(HttpMethod.Put, $"/api/libraries/{_lib}/contacts/not-an-address/preferences", new { offForAllPatrons = new[] { "pre-overdue" } });

        await unknown.AssertProblemAsync(400, "offForAllPatrons[1]");
        await mandatory.AssertProblemAsync(400, "offForAllPatrons[0]");
        await missing.AssertProblemAsync(400, "offForAllPatrons");
        await address.AssertProblemAsync(400, "address");
        var after = await ContactAsync(_key, _lib);
        Assert.Equal(0, after.GetProperty("offForAllPatrons").GetArrayLength());
        Assert.Equal(0, after.GetProperty("audit").GetArrayLength());
    }

    /// <summary>A household email listing two children, as ContactDigests sends it.</summary>
    private async Task DigestAsync(string library, Scenario scenario, string subject) =>
        await _host.Services.GetRequiredService<INoticeDispatcher>().DispatchAsync(new NoticeRequest
        {
            LibraryId = library,
            Scenario = new ScenarioKey(scenario),
            SubjectRecordId = subject,
            ScheduledFor = DateOnly.FromDateTime(DateTime.UtcNow),
            ContactDigest = new ContactDigestFact(ContactShape.Household, "Parent of p1", Parent, ContactRole.Parent, null,
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

    private MimeMessage Eml(string to, string subject)
    {
        var log = LogAsync(_lib).GetAwaiter().GetResult();
        var noticeId = log.Single(e => e.SubjectRecordId == subject && e.Address == to && e.Status == EmailStatus.Sent).NoticeId;
        return MimeMessage.Load(Path.Combine(_pickup, noticeId + ".eml"));
    }

    private static string PathOf(string link) => new Uri(link).PathAndQuery;

    private static string TokenOf(string link) => Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]);

    private Task<HttpResponseMessage> OneClickAsync(string path) =>
        _host.Client.PostAsync(path, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

    private async Task<JsonElement> ContactAsync(string key, string library)
    {
        using var response = await _host.Client.SendAsync(Request(HttpMethod.Get, $"/api/libraries/{library}/contacts/{Parent}/preferences", null, libraryKey: key));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<JsonElement> PatronPreferencesAsync()
    {
        using var response = await Send(HttpMethod.Get, $"/api/libraries/{_lib}/patrons/p1/preferences");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<IReadOnlyList<EmailLogEntry>> LogAsync(string library) =>
        (await _host.Services.GetRequiredService<EmailLogStore>().QueryAsync(library, new EmailLogQuery { PageSize = 1000 })).Items;

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body = null) =>
        _host.Client.SendAsync(Request(method, path, body, libraryKey: _key));

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
