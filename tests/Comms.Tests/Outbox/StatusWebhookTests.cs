using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Comms.EmailLog;
using Comms.Storage;
using Comms.Suppression;
using Comms.Tests.Infrastructure;
using Comms.Tests.Suppression;
using Comms.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Comms.Tests.Outbox;

/// <summary>
/// Status webhooks over real HTTP: a library registers a receiver, a notice ends suppressed, and the receiver gets
/// one CloudEvents 1.0 event, signed with the secret shown once, retried with the same id while it answers 500.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class StatusWebhookTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task SuppressedNotice_EventRetriedUntilAccepted_SameIdSignedCloudEvent()
    {
        // Arrange: a receiver that fails twice, then accepts; the patron's address is blacklisted.
        await using var receiver = await Receiver.StartAsync(failFirst: 2);
        await using var host = await DevHostServer.StartAsync(emulators, s => s["Comms:Webhooks:FirstRetryDelay"] = "00:00:01");
        var key = await host.Client.CreateLibraryAsync("lib");
        using var put = await host.SendAsync(HttpMethod.Put, "/api/libraries/lib/patrons/p1", key, Samples.Patron("p1"));
        put.EnsureSuccessStatusCode();
        await host.Services.GetRequiredService<BlacklistStore>().AddAsync("p1@pupils.example.org", "hard bounce", "ses", DateTimeOffset.UtcNow);
        using var register = await host.SendAsync(HttpMethod.Put, "/api/libraries/lib/webhook", key, new { url = receiver.Url });
        var secret = (await register.JsonAsync())["secret"]!.GetValue<string>();

        // Act
        using var report = await host.SendAsync(HttpMethod.Post, "/api/libraries/lib/patrons/p1/current-loans-report", key);
        var noticeId = (await report.JsonAsync())["notice"]!["noticeId"]!.GetValue<string>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (receiver.Requests.Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        using var read = await host.SendAsync(HttpMethod.Get, "/api/libraries/lib/webhook", key);

        // Assert: three deliveries of one event (two refused), each signed over its own timestamp.
        Assert.Equal(HttpStatusCode.OK, register.StatusCode);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Null((await read.JsonAsync())["secret"]);
        var requests = receiver.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        Assert.Single(requests.Select(r => r.Id).Distinct());
        foreach (var r in requests)
        {
            Assert.Equal("application/cloudevents+json", r.ContentType);
            Assert.Equal(WebhookSigner.Sign(secret, r.Id, r.Timestamp, r.Body), r.Signature);
            Assert.InRange(DateTimeOffset.FromUnixTimeSeconds(r.Timestamp), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        }

        var cloudEvent = JsonNode.Parse(requests[^1].Body)!;
        Assert.Equal("1.0", cloudEvent["specversion"]!.GetValue<string>());
        Assert.Equal(requests[0].Id, cloudEvent["id"]!.GetValue<string>());
        Assert.Equal("org.library.comms.notice.suppressed", cloudEvent["type"]!.GetValue<string>());
        Assert.Equal(noticeId, cloudEvent["subject"]!.GetValue<string>());
        Assert.Equal("suppressed", cloudEvent["data"]!["status"]!.GetValue<string>());
        Assert.DoesNotContain(secret, await RawWebhookRowAsync(host), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SesComplaint_SignedSnsNotification_ReachesTheLogRowTheNoticeStatusAndTheWebhook()
    {
        // Arrange: a welcome sent through SES (aws-ses-v2-local) to the patron and a parent; a webhook registered.
        const string address = "p1@pupils.example.org";
        await using var sns = await SnsTestSigner.StartAsync();
        await using var receiver = await Receiver.StartAsync(failFirst: 0);
        await using var host = await DevHostServer.StartAsync(emulators, s =>
        {
            sns.Trust(s);
            s["Comms:Email:Provider"] = "Ses";
        });
        var key = await host.Client.CreateLibraryAsync("lib");
        using var put = await host.SendAsync(HttpMethod.Put, "/api/libraries/lib/patrons/p1", key, Samples.Patron("p1"));
        put.EnsureSuccessStatusCode();
        using var register = await host.SendAsync(HttpMethod.Put, "/api/libraries/lib/webhook", key, new { url = receiver.Url });
        register.EnsureSuccessStatusCode();
        using var welcome = await host.SendAsync(HttpMethod.Post, "/api/libraries/lib/patrons/p1/welcome", key);
        var href = (await welcome.JsonAsync())["notice"]!["href"]!.GetValue<string>();
        await host.OutboxSettledAsync("lib");
        var log = host.Services.GetRequiredService<EmailLogStore>();
        var sent = (await log.QueryAsync("lib", new EmailLogQuery())).Items.Single(e => e.Address == address && e.Status == EmailStatus.Sent);

        // Act: SES reports the patron's complaint about that message.
        using var complaint = await host.Client.PostAsync("/api/ses/notifications",
            new StringContent(sns.Notification(SnsTestSigner.ComplaintAbout(sent.ProviderMessageId!, "abuse", address)), Encoding.UTF8, "text/plain"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (receiver.Requests.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        using var status = await host.SendAsync(HttpMethod.Get, href, key);

        // Assert: its own status all the way, not a bounce guessed from a reason.
        Assert.True(complaint.IsSuccessStatusCode, await complaint.Content.ReadAsStringAsync());
        var row = (await log.QueryAsync("lib", new EmailLogQuery())).Items.Single(e => e.Id == sent.Id);
        Assert.Equal((EmailStatus.Complained, "SES: complaint (abuse)"), (row.Status, row.Reason));
        Assert.Equal("complaint", (await host.Services.GetRequiredService<BlacklistStore>().GetAsync(address))!.Reason);
        var notice = await status.JsonAsync();
        Assert.Equal("complained", notice["status"]!.GetValue<string>());
        Assert.Equal("complained", notice["recipients"]!.AsArray().Single(r => r!["ledgerId"]!.GetValue<string>() == sent.NoticeId)!["status"]!.GetValue<string>());
        var cloudEvent = JsonNode.Parse(Assert.Single(receiver.Requests).Body)!;
        Assert.Equal("org.library.comms.notice.complained", cloudEvent["type"]!.GetValue<string>());
        Assert.Equal("complained", cloudEvent["data"]!["status"]!.GetValue<string>());
        Assert.Equal("SES: complaint (abuse)", cloudEvent["data"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Register_NotHttpsOrWithCredentials_Is400_OtherLibrarysKeyIs403()
    {
        await using var host = await DevHostServer.StartAsync(emulators, s => s["Comms:Webhooks:AllowLoopbackHttp"] = "false");
        var key = await host.Client.CreateLibraryAsync("lib");
        var otherKey = await host.Client.CreateLibraryAsync("other");

        using var plain = await host.SendAsync(HttpMethod.Put, "/api/libraries/lib/webhook", key, new { url = "http://127.0.0.1:9/hook" });
        using var ftp = await host.SendAsync(HttpMethod.Put, "/api/libraries/lib/webhook", key, new { url = "ftp://hooks.example.org/x" });
        using var credentials = await host.SendAsync(HttpMethod.Put, "/api/libraries/lib/webhook", key, new { url = "https://user:pw@hooks.example.org/x" });
        using var foreign = await host.SendAsync(HttpMethod.Put, "/api/libraries/lib/webhook", otherKey, new { url = "https://hooks.example.org/x" });
        using var none = await host.SendAsync(HttpMethod.Get, "/api/libraries/lib/webhook", key);

        await plain.AssertProblemAsync(400, "url");
        await ftp.AssertProblemAsync(400, "url");
        await credentials.AssertProblemAsync(400, "url");
        await foreign.AssertProblemAsync(403);
        await none.AssertProblemAsync(404);
    }

    private static async Task<string> RawWebhookRowAsync(DevHostServer host)
    {
        var table = await host.Services.GetRequiredService<CommsTables>().GetAsync(WebhookStore.TableName);
        var row = (await table.GetEntityAsync<TableEntity>("lib", "current")).Value;
        return string.Join("\n", row.Select(kv => $"{kv.Key}={kv.Value}"));
    }

    /// <summary>A library system's endpoint on loopback: records every request and refuses the first few with 500.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _seen;

        private Receiver(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public ConcurrentQueue<Received> Requests { get; } = new();

        public static async Task<Receiver> StartAsync(int failFirst)
        {
            var port = NodeProcess.FreePort();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            var app = builder.Build();
            var receiver = new Receiver(app, $"http://127.0.0.1:{port}/hook");
            app.MapPost("/hook", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                receiver.Requests.Enqueue(new Received(
                    context.Request.Headers["webhook-id"].ToString(),
                    long.Parse(context.Request.Headers["webhook-timestamp"].ToString(), System.Globalization.CultureInfo.InvariantCulture),
                    context.Request.Headers["webhook-signature"].ToString(),
                    context.Request.ContentType?.Split(';')[0] ?? string.Empty,
                    body));
                context.Response.StatusCode = Interlocked.Increment(ref receiver._seen) <= failFirst ? 500 : 204;
            });
            await app.StartAsync();
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed record Received(string Id, long Timestamp, string Signature, string ContentType, string Body);
}
