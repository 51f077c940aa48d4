using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Comms.EmailLog;
using Comms.Outbox;
using Comms.Storage;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Outbox;

/// <summary>
/// Immediate notices through the outbox on the dev host, with the real dispatcher and pickup folder: the answer
/// names the notice, its status follows it to the end, staff resend and cancel it, and the reset link is in the
/// email only (never in the answer, the status, the email log or the stored row).
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class NoticeStatusApiTests(EmulatorFixture emulators)
{
    private const string Secret = "R3SET-T0KEN-5a4b3c";

    [Fact]
    public async Task PasswordReset_QueuedThenSent_StatusHasTheAttemptAndTheLinkIsOnlyInTheEmail()
    {
        // Arrange
        await using var host = await DevHostServer.StartAsync(emulators);
        var key = await SetUpAsync(host);

        // Act
        using var response = await host.SendAsync(HttpMethod.Post, "/api/libraries/lib/password-resets", key, Reset(DateTimeOffset.UtcNow.AddHours(1)));
        var queued = await response.JsonAsync();
        var status = await FinalStatusAsync(host, key, response.Headers.Location!.OriginalString);

        // Assert
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("queued", queued["status"]!.GetValue<string>());
        Assert.Equal("sent", status["status"]!.GetValue<string>());
        var attempt = Assert.Single(status["attempts"]!.AsArray());
        Assert.Equal("Pickup", attempt!["provider"]!.GetValue<string>());
        Assert.Equal("sent", attempt["status"]!.GetValue<string>());
        Assert.NotNull(attempt["at"]);
        var noticeId = queued["noticeId"]!.GetValue<string>();
        var log = await host.Services.GetRequiredService<EmailLogStore>().QueryAsync("lib", new EmailLogQuery());
        Assert.Equal(noticeId, Assert.Single(log.Items).OutboxNoticeId);
        Assert.Contains(Secret, Assert.Single(PickedUp(host)), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, queued.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, status.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, await RawRowAsync(host, noticeId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueuedRow_HoldsTheRequestEncrypted_NeverInClear()
    {
        // Arrange: SES down, so the notice stays queued with its data.
        await using var host = await DevHostServer.StartAsync(emulators, ProviderDown(TimeSpan.FromMinutes(5)));
        var key = await SetUpAsync(host);

        // Act
        using var response = await host.SendAsync(HttpMethod.Post, "/api/libraries/lib/password-resets", key, Reset(DateTimeOffset.UtcNow.AddHours(1)));
        var noticeId = (await response.JsonAsync())["noticeId"]!.GetValue<string>();
        var row = await RawRowAsync(host, noticeId);

        // Assert
        Assert.Contains("\"protectedRequest\":\"v1:", row, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, row, StringComparison.Ordinal);
        Assert.DoesNotContain("opac.example.org", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordReset_ProviderDownUntilTheLinkNearlyExpires_LoggedExpiredAndNeverSent()
    {
        // Arrange: every attempt fails; the link has 12 s left, and none is attempted with less than 5 s left.
        await using var host = await DevHostServer.StartAsync(emulators, ProviderDown(TimeSpan.FromSeconds(2), minLinkValidity: "00:00:05"));
        var key = await SetUpAsync(host);

        // Act
        using var response = await host.SendAsync(HttpMethod.Post, "/api/libraries/lib/password-resets", key, Reset(DateTimeOffset.UtcNow.AddSeconds(12)));
        var status = await FinalStatusAsync(host, key, response.Headers.Location!.OriginalString);

        // Assert
        Assert.Equal("expired", status["status"]!.GetValue<string>());
        Assert.Contains("expired", status["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(status["attempts"]!.AsArray().Count >= 2, status.ToJsonString());
        Assert.All(status["attempts"]!.AsArray(), a => Assert.NotEqual("sent", a!["status"]!.GetValue<string>()));
        Assert.Empty(PickedUp(host));
        // Once it can no longer be sent, not even the encrypted copy of the link is kept.
        Assert.DoesNotContain("protectedRequest", await RawRowAsync(host, status["id"]!.GetValue<string>()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_QueuedNotice_IsNeverAttemptedAgain_AndASentOneIs409()
    {
        // Arrange: the first attempt fails and the next waits 3 s.
        await using var host = await DevHostServer.StartAsync(emulators, ProviderDown(TimeSpan.FromSeconds(3)));
        var key = await SetUpAsync(host);
        using var response = await host.SendAsync(HttpMethod.Post, "/api/libraries/lib/patrons/p1/current-loans-report", key);
        var href = response.Headers.Location!.OriginalString;
        await EventuallyAsync(host, key, href, s => s["attempts"]!.AsArray().Count > 0);

        // Act
        using var cancel = await host.SendAsync(HttpMethod.Post, href + "/cancel", key);
        await Task.Delay(TimeSpan.FromSeconds(8));
        var after = await GetAsync(host, key, href);
        using var again = await host.SendAsync(HttpMethod.Post, href + "/resend", key);

        // Assert
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", after["status"]!.GetValue<string>());
        Assert.Single(after["attempts"]!.AsArray().Select(a => a!["number"]!.GetValue<int>()).Distinct());
        await again.AssertProblemAsync(409);
    }

    [Fact]
    public async Task Resend_SentNotice_NewNoticeLinkedToTheOriginalAndSentAgain_ResetIs409()
    {
        // Arrange
        await using var host = await DevHostServer.StartAsync(emulators);
        var key = await SetUpAsync(host);
        using var report = await host.SendAsync(HttpMethod.Post, "/api/libraries/lib/patrons/p1/current-loans-report", key);
        var original = await FinalStatusAsync(host, key, report.Headers.Location!.OriginalString);
        using var reset = await host.SendAsync(HttpMethod.Post, "/api/libraries/lib/password-resets", key, Reset(DateTimeOffset.UtcNow.AddHours(1)));
        await FinalStatusAsync(host, key, reset.Headers.Location!.OriginalString);

        // Act
        using var resend = await host.SendAsync(HttpMethod.Post, report.Headers.Location!.OriginalString + "/resend", key);
        var copy = await FinalStatusAsync(host, key, resend.Headers.Location!.OriginalString);
        var originalAfter = await GetAsync(host, key, report.Headers.Location!.OriginalString);
        using var resetResend = await host.SendAsync(HttpMethod.Post, reset.Headers.Location!.OriginalString + "/resend", key);
        using var cancelSent = await host.SendAsync(HttpMethod.Post, report.Headers.Location!.OriginalString + "/cancel", key);

        // Assert
        Assert.Equal("sent", original["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        Assert.Equal("sent", copy["status"]!.GetValue<string>());
        Assert.Equal(original["id"]!.GetValue<string>(), copy["resendOf"]!.GetValue<string>());
        Assert.Equal([copy["id"]!.GetValue<string>()], originalAfter["resends"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(3, PickedUp(host).Count);
        await resetResend.AssertProblemAsync(409);
        await cancelSent.AssertProblemAsync(409);
    }

    [Fact]
    public async Task NoticeEndpoints_UnknownIdIs404_OtherLibrarysKeyIs403()
    {
        // Arrange
        await using var host = await DevHostServer.StartAsync(emulators);
        var key = await SetUpAsync(host);
        var otherKey = await host.Client.CreateLibraryAsync("other");
        using var report = await host.SendAsync(HttpMethod.Post, "/api/libraries/lib/patrons/p1/current-loans-report", key);
        var href = report.Headers.Location!.OriginalString;

        // Act
        using var unknown = await host.SendAsync(HttpMethod.Get, "/api/libraries/lib/notices/n000000000000000000000000", key);
        using var ledgerRow = await host.SendAsync(HttpMethod.Get, "/api/libraries/lib/notices/ledger-x", key);
        using var foreign = await host.SendAsync(HttpMethod.Get, href, otherKey);
        using var foreignCancel = await host.SendAsync(HttpMethod.Post, href + "/cancel", otherKey);
        using var viaOther = await host.SendAsync(HttpMethod.Get, href.Replace("/lib/", "/other/", StringComparison.Ordinal), otherKey);

        // Assert
        await unknown.AssertProblemAsync(404);
        await ledgerRow.AssertProblemAsync(404);
        await foreign.AssertProblemAsync(403);
        await foreignCancel.AssertProblemAsync(403);
        await viaOther.AssertProblemAsync(404);
    }

    private static Action<Dictionary<string, string?>> ProviderDown(TimeSpan firstRetry, string minLinkValidity = "00:00:05") => s =>
    {
        // Nothing listens on port 9: every SES call is refused at once (a provider outage), one try per attempt.
        s["Comms:Email:Provider"] = "Ses";
        s["Comms:Email:Ses:ServiceUrl"] = "http://127.0.0.1:9/";
        s["Comms:Email:Retry:MaxAttempts"] = "1";
        s["Comms:Outbox:FirstRetryDelay"] = firstRetry.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        s["Comms:Outbox:MaxRetryDelay"] = firstRetry.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        s["Comms:Outbox:MinLinkValidity"] = minLinkValidity;
    };

    private static async Task<string> SetUpAsync(DevHostServer host)
    {
        var key = await host.Client.CreateLibraryAsync("lib");
        using var put = await host.SendAsync(HttpMethod.Put, "/api/libraries/lib/patrons/p1", key, Samples.Patron("p1"));
        put.EnsureSuccessStatusCode();
        return key;
    }

    private static object Reset(DateTimeOffset expiresAt) =>
        new { patronId = "p1", resetLink = $"https://opac.example.org/reset?token={Secret}", expiresAt };

    private static async Task<JsonNode> GetAsync(DevHostServer host, string key, string href)
    {
        using var response = await host.SendAsync(HttpMethod.Get, href, key);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {href}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    private static Task<JsonNode> FinalStatusAsync(DevHostServer host, string key, string href) =>
        EventuallyAsync(host, key, href, s => s["status"]!.GetValue<string>() is not ("queued" or "sending"));

    private static async Task<JsonNode> EventuallyAsync(DevHostServer host, string key, string href, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = await GetAsync(host, key, href);
            if (done(status))
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, "Timed out: " + status.ToJsonString());
            await Task.Delay(200);
        }
    }

    /// <summary>The outbox row as stored, every column, to prove what is (not) kept in clear.</summary>
    private static async Task<string> RawRowAsync(DevHostServer host, string noticeId)
    {
        var table = await host.Services.GetRequiredService<CommsTables>().GetAsync(OutboxStore.TableName);
        var row = (await table.GetEntityAsync<TableEntity>("lib", noticeId)).Value;
        return string.Join("\n", row.Select(kv => $"{kv.Key}={kv.Value}"));
    }

    private static List<string> PickedUp(DevHostServer host)
    {
        var folder = host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Comms:Email:Pickup:Directory"]!;
        return Directory.Exists(folder) ? [.. Directory.GetFiles(folder, "*.eml").Select(File.ReadAllText)] : [];
    }
}
