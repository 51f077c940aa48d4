using System.Net;
using System.Text;
using System.Text.Json;
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
/// The one-click link over real HTTP, as a mailbox provider and a reader use it: the real dispatcher writes the link
/// into the pickup .eml, a GET changes nothing, the POST turns that one scenario off for that one recipient (never the
/// blacklist), and a forged, altered, expired or mandatory link changes nothing.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class UnsubscribeFlowTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private DevHostServer _host = null!;
    private string _key = null!;
    private string _pickup = null!;
    private readonly string _lib = $"unsub{Guid.NewGuid():N}"[..16];

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
    public async Task OneClick_GetChangesNothing_PostTurnsOffThatRecipientsScenarioOnly()
    {
        await DispatchAsync(Scenario.Welcome, "w1");
        var link = LinkTo("parent.p1@home.example.org");

        using var get = await _host.Client.GetAsync(PathOf(link));
        var afterGet = await PreferencesAsync();
        using var post = await OneClickAsync(PathOf(link));
        var afterPost = await PreferencesAsync();
        await DispatchAsync(Scenario.Welcome, "w2");
        var log = await LogAsync();

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Contains("<form method=\"post\"", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", get.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.True(Parent(afterGet).GetProperty("scenarios").GetProperty("welcome").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Contains("no longer receive", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(Parent(afterPost).GetProperty("scenarios").GetProperty("welcome").GetBoolean());
        Assert.True(afterPost.GetProperty("scenarios").GetProperty("welcome").GetBoolean()); // the patron's own address still gets it
        Assert.Equal("unsubscribe-link", afterPost.GetProperty("audit")[0].GetProperty("by").GetString());

        // The next welcome: the patron's own address gets it, the parent's is skipped; nothing went on the blacklist.
        Assert.Equal(EmailStatus.Skipped, log.Single(e => e.SubjectRecordId == "w2" && e.Address == "parent.p1@home.example.org").Status);
        Assert.Equal(EmailStatus.Sent, log.Single(e => e.SubjectRecordId == "w2" && e.Address == "p1@pupils.example.org").Status);
        using var blacklist = await Send(HttpMethod.Get, $"/api/libraries/{_lib}/blacklist");
        Assert.Empty((await blacklist.JsonAsync())["items"]!.AsArray());
    }

    [Fact]
    public async Task Token_NeverInTheEmailLogRows()
    {
        await DispatchAsync(Scenario.Welcome, "w3");
        var token = TokenOf(LinkTo("p1@pupils.example.org", "w3"));

        var rows = JsonSerializer.Serialize(await LogAsync());
        using var api = await Send(HttpMethod.Get, $"/api/libraries/{_lib}/email-log");

        Assert.DoesNotContain(token, rows, StringComparison.Ordinal);
        Assert.DoesNotContain("token=", rows, StringComparison.Ordinal);
        Assert.DoesNotContain(token, await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedAlteredOrExpired_Is403AndChangesNothing()
    {
        await DispatchAsync(Scenario.Welcome, "w4");
        var token = TokenOf(LinkTo("p1@pupils.example.org", "w4"));
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).Replace("|welcome|", "|card-expiring|", StringComparison.Ordinal);
        var altered = $"{parts[0]}.{System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
        var forged = $"{parts[0]}.{parts[1]}.{new string('A', parts[2].Length)}";
        var past = new FixedTime(DateTimeOffset.UtcNow.AddDays(-200));
        var expired = new UnsubscribeLinks(_host.Services.GetRequiredService<IOptions<PreferenceOptions>>(), past)
            .Sign(new UnsubscribeToken(_lib, "p1", UnsubscribeLinks.AddressHash("p1@pupils.example.org"), Scenario.Welcome, past.GetUtcNow().AddDays(90)));
        var otherKey = new UnsubscribeLinks(Options.Create(new PreferenceOptions { LinkKey = new string('k', 40), PublicBaseUrl = "https://comms.test" }), TimeProvider.System)
            .Sign(new UnsubscribeToken(_lib, "p1", UnsubscribeLinks.AddressHash("p1@pupils.example.org"), Scenario.Welcome, DateTimeOffset.UtcNow.AddDays(1)));

        foreach (var bad in new[] { altered, forged, expired, otherKey, "garbage", string.Empty })
        {
            using var post = await OneClickAsync($"/api/preferences/unsubscribe?token={Uri.EscapeDataString(bad)}");
            using var get = await _host.Client.GetAsync($"/api/preferences/unsubscribe?token={Uri.EscapeDataString(bad)}");
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        }

        var after = await PreferencesAsync();
        Assert.True(after.GetProperty("scenarios").GetProperty("welcome").GetBoolean());
        Assert.True(after.GetProperty("scenarios").GetProperty("card-expiring").GetBoolean());
        Assert.Equal(0, after.GetProperty("audit").GetArrayLength());
    }

    [Fact]
    public async Task Mandatory_NoLinkInTheNotice_AndASignedLinkForItChangesNothing()
    {
        await DispatchAsync(Scenario.Overdue, "o1");
        var overdue = Eml("p1@pupils.example.org", "o1");
        var signed = _host.Services.GetRequiredService<UnsubscribeLinks>()
            .Sign(new UnsubscribeToken(_lib, "p1", UnsubscribeLinks.AddressHash("p1@pupils.example.org"), Scenario.Overdue, DateTimeOffset.UtcNow.AddDays(1)));

        using var post = await OneClickAsync($"/api/preferences/unsubscribe?token={signed}");
        var after = await PreferencesAsync();

        Assert.Null(overdue.Headers[HeaderId.ListUnsubscribe]);
        Assert.Equal("auto-generated", overdue.Headers["Auto-Submitted"]);
        Assert.Equal(HttpStatusCode.Conflict, post.StatusCode);
        Assert.True(after.GetProperty("scenarios").GetProperty("overdue").GetBoolean());
        Assert.Equal(0, after.GetProperty("audit").GetArrayLength());
    }

    [Fact]
    public async Task ManageLink_ExpiredForgedOrAnUnsubscribeToken_Is403AndAFormlessPostChangesNothing()
    {
        var links = _host.Services.GetRequiredService<UnsubscribeLinks>();
        var past = new FixedTime(DateTimeOffset.UtcNow.AddDays(-60));
        var expired = new UnsubscribeLinks(_host.Services.GetRequiredService<IOptions<PreferenceOptions>>(), past)
            .Sign(new ManageToken(_lib, "p1", UnsubscribeLinks.AddressHash("p1@pupils.example.org"), past.GetUtcNow(), past.GetUtcNow().AddDays(30)));
        var unsubscribe = links.Sign(new UnsubscribeToken(_lib, "p1", UnsubscribeLinks.AddressHash("p1@pupils.example.org"), Scenario.Welcome, DateTimeOffset.UtcNow.AddDays(1)));
        var valid = TokenOf(links.ManageLinkFor(_lib, "p1", "p1@pupils.example.org")!);

        foreach (var bad in new[] { expired, unsubscribe, valid[..^2] + "AA" })
        {
            using var get = await _host.Client.GetAsync($"/api/preferences/manage?token={Uri.EscapeDataString(bad)}");
            using var post = await _host.Client.PostAsync($"/api/preferences/manage?token={Uri.EscapeDataString(bad)}", new FormUrlEncodedContent([new("save", "1")]));
            await get.AssertProblemAsync(403);
            await post.AssertProblemAsync(403);
        }

        using var formless = await _host.Client.PostAsync($"/api/preferences/manage?token={Uri.EscapeDataString(valid)}", new StringContent("{}"));
        var after = await PreferencesAsync();

        Assert.Equal(HttpStatusCode.OK, formless.StatusCode);
        Assert.True(after.GetProperty("scenarios").GetProperty("welcome").GetBoolean());
        Assert.Equal(0, after.GetProperty("audit").GetArrayLength());
    }

    [Fact]
    public async Task Language_PatronsAndContactsChoice_WritesTheirNoticeInIt()
    {
        using var put = await Send(HttpMethod.Put, $"/api/libraries/{_lib}/patrons/p1/preferences", new
        {
            language = "fr-FR",
            contacts = new[] { new { email = "parent.p1@home.example.org", language = "en-GB" } },
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        await _host.Services.GetRequiredService<INoticeDispatcher>().DispatchAsync(new NoticeRequest
        {
            LibraryId = _lib,
            Scenario = new ScenarioKey(Scenario.Overdue),
            SubjectRecordId = "lang1",
            PatronId = "p1",
            ScheduledFor = new DateOnly(2026, 3, 14),
            Loans = [new LoanFact("lang1", "Dune", null, null, new DateTimeOffset(2026, 3, 11, 17, 0, 0, TimeSpan.Zero))],
        });

        Assert.Contains("11 mars 2026", Eml("p1@pupils.example.org", "lang1").TextBody, StringComparison.Ordinal);
        Assert.Contains("11 March 2026", Eml("parent.p1@home.example.org", "lang1").TextBody, StringComparison.Ordinal);
    }

    private async Task DispatchAsync(Scenario scenario, string subject) =>
        await _host.Services.GetRequiredService<INoticeDispatcher>().DispatchAsync(new NoticeRequest
        {
            LibraryId = _lib,
            Scenario = new ScenarioKey(scenario),
            SubjectRecordId = subject,
            PatronId = "p1",
            ScheduledFor = DateOnly.FromDateTime(DateTime.UtcNow),
            Loans = scenario == Scenario.Overdue ? [new LoanFact(subject, "Dune", null, null, DateTimeOffset.UtcNow.AddDays(-3))] : [],
        });

    private MimeMessage Eml(string to, string subject = "w1")
    {
        var log = LogAsync().GetAwaiter().GetResult();
        var noticeId = log.Single(e => e.SubjectRecordId == subject && e.Address == to && e.Status == EmailStatus.Sent).NoticeId;
        return MimeMessage.Load(Path.Combine(_pickup, noticeId + ".eml"));
    }

    private string LinkTo(string to, string subject = "w1")
    {
        var header = Eml(to, subject).Headers[HeaderId.ListUnsubscribe];
        Assert.NotNull(header);
        return header.Trim()[1..^1];
    }

    private static string PathOf(string link) => new Uri(link).PathAndQuery;

    private static string TokenOf(string link) => Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]);

    /// <summary>What a mailbox provider sends for RFC 8058: a POST with this one form field, no cookie, no key.</summary>
    private Task<HttpResponseMessage> OneClickAsync(string path) =>
        _host.Client.PostAsync(path, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

    private async Task<JsonElement> PreferencesAsync()
    {
        using var response = await Send(HttpMethod.Get, $"/api/libraries/{_lib}/patrons/p1/preferences");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static JsonElement Parent(JsonElement preferences) =>
        preferences.GetProperty("contacts").EnumerateArray().Single(c => c.GetProperty("role").GetString() == "parent");

    private async Task<IReadOnlyList<EmailLogEntry>> LogAsync() =>
        (await _host.Services.GetRequiredService<EmailLogStore>().QueryAsync(_lib, new EmailLogQuery { PageSize = 1000 })).Items;

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body = null) =>
        _host.Client.SendAsync(Request(method, path, body, libraryKey: _key));

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
