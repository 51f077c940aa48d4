using System.Net;
using Comms.EmailLog;
using Comms.Notices;
using Comms.Retention;
using Comms.Scenarios;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.EmailLog;

/// <summary>
/// The redacted copy of a sent message (docs/message-copies.md), through the real pipeline on Azurite: the pickup
/// .eml holds the secret, the copy the API returns does not; only the library's own key reads it; the daily purge
/// and a patron's erasure delete it.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class MessageCopyApiTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private const string ResetSecret = "s3cr3tR3s3t";
    private DevHostServer _host = null!;
    private string _key = null!;
    private string _pickup = null!;
    private readonly string _lib = $"copy{Guid.NewGuid():N}"[..16];

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
    public async Task GetMessageCopy_PasswordReset_ReturnsTheMessageWithTheLinkHidden()
    {
        // Arrange
        var noticeId = await SendResetAsync();

        // Act
        using var response = await Send(HttpMethod.Get, CopyPath(_lib, noticeId));

        // Assert: the reader got the link, staff get the message without it.
        Assert.Contains(ResetSecret, (await MimeMessage.LoadAsync(Path.Combine(_pickup, noticeId + ".eml"))).TextBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(ResetSecret, body, StringComparison.Ordinal);
        var copy = await response.JsonAsync();
        Assert.Equal(noticeId, copy["noticeId"]!.GetValue<string>());
        Assert.Contains("[hidden]", copy["html"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("[hidden]", copy["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("<html", copy["html"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(copy["headers"]!.AsArray(), h => h!["name"]!.GetValue<string>() == "Subject");
    }

    [Fact]
    public async Task GetMessageCopy_OptionalNotice_HidesTheUnsubscribeAndSelfServiceTokens()
    {
        // Arrange: a welcome is optional, so it carries List-Unsubscribe and both footer links.
        await DispatchAsync(Scenario.Welcome, "w1");
        var sent = (await LogAsync()).First(e => e.Status == EmailStatus.Sent);
        var eml = MimeMessage.Load(Path.Combine(_pickup, sent.NoticeId + ".eml"));
        var unsubscribe = eml.Headers[HeaderId.ListUnsubscribe]!.Trim()[1..^1];
        var unsubscribeToken = unsubscribe[(unsubscribe.IndexOf("token=", StringComparison.Ordinal) + 6)..];
        var manageToken = ManageToken(eml.TextBody ?? string.Empty);

        // Act
        using var response = await Send(HttpMethod.Get, CopyPath(_lib, sent.NoticeId));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(unsubscribeToken, body, StringComparison.Ordinal);
        Assert.DoesNotContain(manageToken, body, StringComparison.Ordinal);
        Assert.DoesNotContain("token=", body, StringComparison.Ordinal);
        var headers = (await response.JsonAsync())["headers"]!.AsArray();
        Assert.Contains(headers, h => h!["name"]!.GetValue<string>() == "List-Unsubscribe" && h["value"]!.GetValue<string>() == "<[hidden]>");
    }

    [Fact]
    public async Task GetMessageCopy_BccMessageToAHousehold_EachRecipientsRowOpensTheCopyNamingOnlyThem()
    {
        // Arrange: a library that sends one message with the patron and the parent in BCC.
        var bccLib = $"bcc{Guid.NewGuid():N}"[..16];
        var bccKey = await _host.CreateLibraryAsync(Samples.Library(bccLib) with { BccMultipleRecipients = true });
        await _host.Services.GetRequiredService<Comms.Contacts.PatronService>().UpsertAsync(bccLib, "p1", Samples.Patron("p1"));
        await _host.Services.GetRequiredService<INoticeDispatcher>().DispatchAsync(new NoticeRequest
        {
            LibraryId = bccLib,
            Scenario = new ScenarioKey(Scenario.Overdue),
            SubjectRecordId = "digest-p1",
            ScheduledFor = DateOnly.FromDateTime(DateTime.UtcNow),
            PatronId = "p1",
            Loans = [new LoanFact("loan-1", "Dune", "Frank Herbert", "B0001", DateTimeOffset.UtcNow.AddDays(-3))],
        });
        var sent = (await _host.Services.GetRequiredService<EmailLogStore>().QueryAsync(bccLib, new EmailLogQuery { PageSize = 100 })).Items
            .Where(e => e.Status == EmailStatus.Sent).ToList();
        Assert.Equal(2, sent.Count);
        Assert.Single(Directory.GetFiles(_pickup, "*.eml"), f => MimeMessage.Load(f).Bcc.Mailboxes.Count() == 2);

        // Act
        var copies = new List<System.Text.Json.Nodes.JsonNode>();
        foreach (var row in sent)
        {
            using var response = await _host.Client.SendAsync(Request(HttpMethod.Get, CopyPath(bccLib, row.NoticeId), libraryKey: bccKey));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            copies.Add(await response.JsonAsync());
        }

        // Assert: the message as sent (to the library's desk), each copy's Bcc its own row's recipient only.
        foreach (var (row, copy) in sent.Zip(copies))
        {
            Assert.Equal(row.NoticeId, copy["noticeId"]!.GetValue<string>());
            Assert.Contains("Dune", copy["html"]!.GetValue<string>(), StringComparison.Ordinal);
            var headers = copy["headers"]!.AsArray().ToDictionary(h => h!["name"]!.GetValue<string>(), h => h!["value"]!.GetValue<string>());
            Assert.Contains($"desk@{bccLib}.example.org", headers["To"], StringComparison.Ordinal);
            Assert.Contains(row.Address!, headers["Bcc"], StringComparison.Ordinal);
            Assert.DoesNotContain(sent.Single(other => other.NoticeId != row.NoticeId).Address!, headers["Bcc"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetMessageCopy_AnotherLibrarysKey_Is403AndItsOwnRouteIs404()
    {
        // Arrange
        var noticeId = await SendResetAsync();
        var otherLib = $"other{Guid.NewGuid():N}"[..16];
        var otherKey = await _host.Client.CreateLibraryAsync(otherLib);

        // Act
        using var foreign = await _host.Client.SendAsync(Request(HttpMethod.Get, CopyPath(_lib, noticeId), libraryKey: otherKey));
        using var ownRoute = await _host.Client.SendAsync(Request(HttpMethod.Get, CopyPath(otherLib, noticeId), libraryKey: otherKey));

        // Assert
        await foreign.AssertProblemAsync(403);
        var problem = await ownRoute.AssertProblemAsync(404);
        Assert.DoesNotContain("[hidden]", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", 404)]
    [InlineData("not-a-notice", 400)]
    [InlineData("ABCDEF0000000000000000000000000000000000000000000000000000000000", 400)]
    public async Task GetMessageCopy_NoCopyOrBadId_IsProblem(string noticeId, int status)
    {
        using var response = await Send(HttpMethod.Get, CopyPath(_lib, noticeId));

        await response.AssertProblemAsync(status, status == 400 ? ["noticeId"] : []);
    }

    [Fact]
    public async Task Purge_AfterMessageCopyDays_DeletesTheCopyAndNotBefore()
    {
        // Arrange
        var noticeId = await SendResetAsync();
        var purge = _host.Services.GetRequiredService<ExpiredRecordsPurge>();

        // Act
        var early = await purge.PurgeLibraryAsync(_lib, DateTimeOffset.UtcNow.AddDays(29));
        using var kept = await Send(HttpMethod.Get, CopyPath(_lib, noticeId));
        var late = await purge.PurgeLibraryAsync(_lib, DateTimeOffset.UtcNow.AddDays(31));
        using var gone = await Send(HttpMethod.Get, CopyPath(_lib, noticeId));

        // Assert
        Assert.Equal(0, early.MessageCopies);
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Equal(1, late.MessageCopies);
        await gone.AssertProblemAsync(404);
    }

    [Fact]
    public async Task DeletePatron_ErasesTheirCopies()
    {
        // Arrange
        var noticeId = await SendResetAsync();

        // Act
        using var delete = await Send(HttpMethod.Delete, $"/api/libraries/{_lib}/patrons/p1");
        using var gone = await Send(HttpMethod.Get, CopyPath(_lib, noticeId));

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await gone.AssertProblemAsync(404);
    }

    private async Task<string> SendResetAsync()
    {
        var body = Serialize(new { patronId = "p1", resetLink = $"https://opac.example.org/reset?t={ResetSecret}", expiresAt = DateTimeOffset.UtcNow.AddHours(1) });
        using var response = await _host.Client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{_lib}/password-resets", body, libraryKey: _key));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await _host.OutboxSettledAsync(_lib);
        return (await LogAsync()).Single(e => e.Status == EmailStatus.Sent && e.Scenario == "password-reset").NoticeId;
    }

    private static string ManageToken(string text)
    {
        var at = text.IndexOf("manage?token=", StringComparison.Ordinal) + "manage?token=".Length;
        var end = text.IndexOfAny([' ', '\r', '\n'], at);
        return end < 0 ? text[at..] : text[at..end];
    }

    private static string CopyPath(string lib, string noticeId) => $"/api/libraries/{lib}/email-log/notices/{noticeId}/message";

    private Task DispatchAsync(Scenario scenario, string subject) =>
        _host.Services.GetRequiredService<INoticeDispatcher>().DispatchAsync(new NoticeRequest
        {
            LibraryId = _lib,
            Scenario = new ScenarioKey(scenario),
            SubjectRecordId = subject,
            PatronId = "p1",
            ScheduledFor = DateOnly.FromDateTime(DateTime.UtcNow),
        });

    private async Task<IReadOnlyList<EmailLogEntry>> LogAsync() =>
        (await _host.Services.GetRequiredService<EmailLogStore>().QueryAsync(_lib, new EmailLogQuery { PageSize = 1000 })).Items;

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body = null) =>
        _host.Client.SendAsync(Request(method, path, body, libraryKey: _key));
}
