using System.Diagnostics;
using Comms.Delivery;
using Comms.EmailLog;
using Comms.Templates;
using Comms.Tests.Delivery;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Templates;

/// <summary>
/// A template test send stays inside the request (a staff member at the editor waits for yes or no), so a provider
/// failure must come back quickly and plainly: 503 problem+json with Retry-After when SES is down or hangs (real
/// HTTP through the fault proxy in front of aws-ses-v2-local), 502 when the provider refuses the message.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class TestSendProviderFailureTests(EmulatorFixture emulators)
{
    private static readonly object Body = new { to = "staff@lib.example.org", template = new { templateId = "default:overdue" } };

    [Fact]
    public async Task TestSend_SesDown_Is503WithRetryAfterWithinSeconds_AndTheAttemptIsLogged()
    {
        // Arrange
        await using var proxy = await SesFaultProxy.StartAsync(emulators.SesEndpoint, Plan(downAfter: 1, lostPercent: 0));
        await using var host = await StartAsync(proxy, testSendTimeoutSeconds: 15);
        var key = await host.Client.CreateLibraryAsync("lib");

        // Act
        var watch = Stopwatch.StartNew();
        using var response = await host.SendAsync(HttpMethod.Post, "/api/libraries/lib/templates/test-send", key, Body);
        var took = watch.Elapsed;

        // Assert: two quick tries, not the five-attempt backoff a background notice gets.
        var problem = await response.AssertProblemAsync(503);
        Assert.Contains("nothing was sent", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.True(took < TimeSpan.FromSeconds(10), $"answered after {took}");
        Assert.Equal(TestSendService.TestSendAttempts, proxy.Counts.GetValueOrDefault(SesFault.ProviderDown));
        var log = (await host.Services.GetRequiredService<EmailLogStore>().QueryAsync("lib", new EmailLogQuery())).Items;
        Assert.Equal(TestSendService.TestSendAttempts, log.Count);
        Assert.All(log, e => Assert.True(e.IsTest && e.Status == EmailStatus.Failed));
    }

    [Fact]
    public async Task TestSend_SesHangs_Is503AtTheTestSendTimeout_NotTheProvidersTimeout()
    {
        // Arrange: every request held unanswered; SES's own timeout (60 s) is far beyond the test send's (3 s).
        await using var proxy = await SesFaultProxy.StartAsync(emulators.SesEndpoint, Plan(downAfter: int.MaxValue, lostPercent: 100));
        await using var host = await StartAsync(proxy, testSendTimeoutSeconds: 3);
        var key = await host.Client.CreateLibraryAsync("lib");

        // Act
        var watch = Stopwatch.StartNew();
        using var response = await host.SendAsync(HttpMethod.Post, "/api/libraries/lib/templates/test-send", key, Body);
        var took = watch.Elapsed;

        // Assert
        var problem = await response.AssertProblemAsync(503);
        Assert.Contains("did not answer within 3 s", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.True(took < TimeSpan.FromSeconds(10), $"answered after {took}");
    }

    [Fact]
    public async Task TestSend_ProviderRefusesTheMessage_Is502NamingTheReasonWithoutTheAddress()
    {
        // Arrange: the pickup provider answers a permanent refusal, as SES does for MessageRejected.
        await using var host = await DevHostServer.StartAsync(emulators, services: s => DeliveryTestServices.Wrap(s, ProviderNames.Pickup, p => new ScriptedProvider(p)
        {
            Before = (_, _) => ProviderResult.Permanent("MessageRejected: staff@lib.example.org is not allowed"),
        }));
        var key = await host.Client.CreateLibraryAsync("lib");

        // Act
        using var response = await host.SendAsync(HttpMethod.Post, "/api/libraries/lib/templates/test-send", key, Body);

        // Assert
        var problem = await response.AssertProblemAsync(502);
        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains("refused the test message", detail, StringComparison.Ordinal);
        Assert.Contains("MessageRejected", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("staff@lib.example.org", detail, StringComparison.Ordinal);
        Assert.Null(response.Headers.RetryAfter);
    }

    private static SesFaultPlan Plan(int downAfter, int lostPercent) => new()
    {
        StormAfterRequests = int.MaxValue,
        StormLength = TimeSpan.Zero,
        DownAfterRequests = downAfter,
        DownLength = TimeSpan.FromMinutes(10),
        TransientPercent = 0,
        RequestLostPercent = lostPercent,
    };

    private Task<DevHostServer> StartAsync(SesFaultProxy proxy, int testSendTimeoutSeconds) =>
        DevHostServer.StartAsync(emulators, s =>
        {
            s["Comms:Email:Provider"] = "Ses";
            s["Comms:Email:Ses:ServiceUrl"] = proxy.Endpoint.ToString();
            s["Comms:Email:Ses:TimeoutSeconds"] = "60";
            s["Comms:Email:TestSendTimeoutSeconds"] = testSendTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
}
