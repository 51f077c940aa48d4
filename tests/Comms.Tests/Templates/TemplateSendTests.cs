using System.Net;
using Comms.EmailLog;
using Comms.Suppression;
using Comms.Templates;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Templates;

/// <summary>Test send and manual send over HTTP, through the real pipeline to the pickup folder.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class TemplateSendTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private DevHostServer _host = null!;
    private string _key = null!;
    private string _outbox = null!;

    public async Task InitializeAsync()
    {
        _host = await DevHostServer.StartAsync(emulators, s => _outbox = s["Comms:Email:Pickup:Directory"]!);
        _key = await _host.Client.CreateLibraryAsync("lib");
        foreach (var id in new[] { "p1", "p2" })
        {
            using var put = await Send(HttpMethod.Put, $"/api/libraries/lib/patrons/{id}", Samples.Patron(id));
            put.EnsureSuccessStatusCode();
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task TestSend_DefaultTemplate_ArrivesAtTheAddressAndIsLoggedAsATest()
    {
        using var response = await Send(HttpMethod.Post, "/api/libraries/lib/templates/test-send",
            new { to = "staff@lib.example.org", template = new { templateId = "default:overdue" } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var message = Assert.Single(Outbox());
        Assert.Equal("staff@lib.example.org", message.To.Mailboxes.Single().Address);
        var entry = Assert.Single(await LogAsync());
        Assert.True(entry.IsTest);
        Assert.Equal(EmailStatus.Sent, entry.Status);
    }

    [Fact]
    public async Task TestSend_BlacklistedAddress_IsSuppressed()
    {
        await _host.Services.GetRequiredService<BlacklistStore>().AddAsync("bounced@lib.example.org", "hard bounce", "staff", DateTimeOffset.UtcNow);

        using var response = await Send(HttpMethod.Post, "/api/libraries/lib/templates/test-send",
            new { to = "bounced@lib.example.org", template = new { templateId = "default:overdue" } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(Outbox());
        Assert.Equal(EmailStatus.Suppressed, Assert.Single(await LogAsync()).Status);
    }

    [Theory]
    [InlineData("{\"to\": \"not-an-address\", \"template\": {\"templateId\": \"default:overdue\"}}", "to")]
    [InlineData("{\"to\": \"a@b.example.org\", \"template\": {\"templateId\": \"default:nonsense\"}}", "templateId")]
    [InlineData("{\"to\": \"a@b.example.org\"}", "")]
    public async Task TestSend_BadInput_Is400AndSendsNothing(string body, string field)
    {
        using var response = await Send(HttpMethod.Post, "/api/libraries/lib/templates/test-send", body);

        await response.AssertProblemAsync(400, field.Length == 0 ? [] : [field]);
        Assert.Empty(Outbox());
    }

    [Fact]
    public async Task ManualSend_ToChosenRoles_OncePerRequestId()
    {
        var body = new { requestId = "closure-2026-12", templateId = "default:current-loans-report", scenario = "current-loans-report", patronIds = new[] { "p1", "p2" }, roles = new[] { "parent" } };

        using var first = await Send(HttpMethod.Post, "/api/libraries/lib/notices/manual", body);
        using var again = await Send(HttpMethod.Post, "/api/libraries/lib/notices/manual", body);

        await _host.OutboxSettledAsync("lib");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var queued = (await first.JsonAsync())["notices"]!.AsArray().Select(n => n!["noticeId"]!.GetValue<string>()).ToList();
        Assert.Equal(2, queued.Distinct().Count());
        Assert.Equal(queued, (await again.JsonAsync())["notices"]!.AsArray().Select(n => n!["noticeId"]!.GetValue<string>()));
        Assert.Equal(["parent.p1@home.example.org", "parent.p2@home.example.org"], Outbox().Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("{\"requestId\": \"r1\", \"templateId\": \"default:overdue\", \"scenario\": \"overdue\"}", "patronIds", 400)]
    [InlineData("{\"requestId\": \"r 1\", \"templateId\": \"default:overdue\", \"scenario\": \"overdue\", \"patronIds\": [\"p1\"]}", "requestId", 400)]
    [InlineData("{\"requestId\": \"r1\", \"templateId\": \"default:overdue\", \"scenario\": \"lunch\", \"patronIds\": [\"p1\"]}", "scenario", 400)]
    [InlineData("{\"requestId\": \"r1\", \"templateId\": \"default:overdue\", \"scenario\": \"overdue\", \"patronIds\": [\"p1\"], \"roles\": [\"wizard\"]}", "roles[0]", 400)]
    [InlineData("{\"requestId\": \"r1\", \"templateId\": \"no-such-template\", \"scenario\": \"overdue\", \"patronIds\": [\"p1\"]}", "", 404)]
    public async Task ManualSend_BadInput_IsRejectedAndSendsNothing(string body, string field, int status)
    {
        using var response = await Send(HttpMethod.Post, "/api/libraries/lib/notices/manual", body);

        await _host.OutboxSettledAsync("lib");
        await response.AssertProblemAsync(status, field.Length == 0 ? [] : [field]);
        Assert.Empty(Outbox());
    }

    [Fact]
    public async Task TestSendAndManualSend_OtherLibrarysKey_Is403()
    {
        var otherKey = await _host.Client.CreateLibraryAsync("other");

        using var test = await _host.Client.SendAsync(Request(HttpMethod.Post, "/api/libraries/lib/templates/test-send",
            new { to = "a@b.example.org", template = new { templateId = "default:overdue" } }, libraryKey: otherKey));
        using var manual = await _host.Client.SendAsync(Request(HttpMethod.Post, "/api/libraries/lib/notices/manual",
            new { requestId = "x", templateId = "default:overdue", scenario = "overdue", patronIds = new[] { "p1" } }, libraryKey: otherKey));

        await test.AssertProblemAsync(403);
        await manual.AssertProblemAsync(403);
        Assert.Empty(Outbox());
    }

    [Fact]
    public async Task TestSend_PasswordResetDefaultWithALink_LinkOnlyInTheEmailNeverInTheLogOrStorage()
    {
        const string link = "https://opac.example.org/reset?token=TOPSECRET-default";

        using var response = await Send(HttpMethod.Post, "/api/libraries/lib/templates/test-send", new
        {
            to = "staff@lib.example.org",
            template = new { templateId = "default:password-reset", data = new { reset = new { link, expiresAt = DateTimeOffset.UtcNow.AddHours(1) } } },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains(link, Assert.Single(Outbox()).TextBody, StringComparison.Ordinal);
        await AssertNowhereButTheEmailAsync("TOPSECRET");
        Assert.Contains(ModelSecrets.Mask, Assert.Single(await LogAsync()).Preview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestSend_DraftShowingTheLinkInSubjectAndText_LogKeepsThemWithTheLinkHidden()
    {
        const string link = "https://opac.example.org/reset?token=TOPSECRET-draft";

        using var response = await Send(HttpMethod.Post, "/api/libraries/lib/templates/test-send", new
        {
            to = "staff@lib.example.org",
            template = new
            {
                scenario = "password-reset",
                draft = new { subject = "Reset via {{reset.link}}", html = "<a href=\"{{reset.link}}\">Reset</a>", text = "Go to {{reset.link}} by {{reset.expiresAt}}." },
                data = new { reset = new { link, expiresAt = DateTimeOffset.UtcNow.AddHours(1) } },
            },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var message = Assert.Single(Outbox());
        Assert.Equal($"Reset via {link}", message.Subject);
        var entry = Assert.Single(await LogAsync());
        Assert.Equal("Reset via [hidden]", entry.Subject);
        Assert.StartsWith("Go to [hidden] by ", entry.Preview, StringComparison.Ordinal);
        await AssertNowhereButTheEmailAsync("TOPSECRET");
    }

    /// <summary>Not in the email log API, nor in any row of any of this test run's tables.</summary>
    private async Task AssertNowhereButTheEmailAsync(string secret)
    {
        using var log = await Send(HttpMethod.Get, "/api/libraries/lib/email-log");
        Assert.Equal(HttpStatusCode.OK, log.StatusCode);
        Assert.DoesNotContain(secret, await log.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var tables = _host.Services.GetRequiredService<Comms.Storage.CommsTables>();
        var prefix = _host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Comms.Storage.StorageOptions>>().Value.TablePrefix;
        var scanned = 0;
        await foreach (var table in tables.Service.QueryAsync($"TableName ge '{prefix}' and TableName lt '{prefix}~'"))
        {
            await foreach (var row in tables.Service.GetTableClient(table.Name).QueryAsync<Azure.Data.Tables.TableEntity>())
            {
                scanned++;
                Assert.DoesNotContain(row, p => p.Value is string text && text.Contains(secret, StringComparison.Ordinal));
            }
        }

        Assert.True(scanned > 0);
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body = null) =>
        _host.Client.SendAsync(Request(method, path, body, libraryKey: _key));

    private List<MimeMessage> Outbox() =>
        Directory.Exists(_outbox) ? [.. Directory.GetFiles(_outbox, "*.eml").Select(f => MimeMessage.Load(f))] : [];

    private async Task<IReadOnlyList<EmailLogEntry>> LogAsync() =>
        (await _host.Services.GetRequiredService<EmailLogStore>().QueryAsync("lib", new EmailLogQuery { PageSize = 100 })).Items;
}
