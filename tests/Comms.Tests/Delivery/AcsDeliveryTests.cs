using System.Diagnostics;
using Comms.Delivery;
using Comms.Delivery.Providers;
using Comms.EmailLog;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Delivery.DeliveryTestServices;

namespace Comms.Tests.Delivery;

[Collection(EmulatorCollection.Name)]
public sealed class AcsDeliveryTests(EmulatorFixture emulators)
{
    private ServiceProvider Services(AcsTestServer acs, Action<Dictionary<string, string?>>? more = null, Action<IServiceCollection>? services = null) =>
        Create(emulators, s =>
        {
            s["Comms:Email:Provider"] = "Acs";
            s["Comms:Email:Acs:ConnectionString"] = acs.ConnectionString;
            s["Comms:Email:Acs:MessagesPerSecond"] = "0";
            more?.Invoke(s);
        }, services);

    [Fact]
    public async Task SendAsync_Accepted_SignatureVerifiedAndOperationPolledToSucceeded()
    {
        await using var acs = await AcsTestServer.StartAsync();
        await using var services = Services(acs);
        var lib = Unique("acs");
        await CreateLibraryAsync(services, lib);
        var notice = Notice(lib, "loan-1", new NoticeRecipient("Ann", "ann@example.org"));

        var result = await services.GetRequiredService<NoticeSender>().SendAsync(notice);

        var outcome = Assert.Single(result.Recipients);
        Assert.Equal(EmailStatus.Sent, outcome.Status);
        Assert.Empty(acs.SignatureFailures);
        var (operationId, body) = Assert.Single(acs.Operations);
        Assert.Equal(operationId, outcome.ProviderMessageId);
        Assert.Equal(AcsEmailProvider.OperationIdFor(outcome.NoticeId).ToString(), operationId);
        Assert.Equal(2, acs.Polls(operationId));
        Assert.Equal($"desk@{lib}.example.org", body.GetProperty("senderAddress").GetString());
        Assert.Equal("Overdue: loan-1", body.GetProperty("content").GetProperty("subject").GetString());
        // The rendered text, then the engine's footer with the reader's preferences link (docs/preferences.md).
        Assert.StartsWith("Your loan loan-1 is overdue.\n\n--\nYour email preferences: https://comms.test/", body.GetProperty("content").GetProperty("plainText").GetString(), StringComparison.Ordinal);
        Assert.Contains("<b>loan-1</b>", body.GetProperty("content").GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Equal("ann@example.org", body.GetProperty("recipients").GetProperty("to")[0].GetProperty("address").GetString());
    }

    [Fact]
    public async Task SendAsync_429Then500Then202_RetriesHonouringRetryAfterAndLogsEveryAttempt()
    {
        await using var acs = await AcsTestServer.StartAsync();
        acs.SendScript.Enqueue(429);
        acs.SendScript.Enqueue(500);
        await using var services = Services(acs);
        var lib = Unique("acs");
        await CreateLibraryAsync(services, lib);

        var clock = Stopwatch.StartNew();
        var result = await services.GetRequiredService<NoticeSender>().SendAsync(Notice(lib, "loan-2", new NoticeRecipient("Ann", "ann@example.org")));
        var log = await services.GetRequiredService<EmailLogStore>().QueryAsync(lib, new EmailLogQuery());

        Assert.Equal(EmailStatus.Sent, Assert.Single(result.Recipients).Status);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), "Retry-After: 1 was not honoured");
        Assert.Equal(3, acs.SendRequests);
        Assert.Equal([EmailStatus.Sent, EmailStatus.Failed, EmailStatus.Failed], log.Items.Select(e => e.Status));
        Assert.Equal([3, 2, 1], log.Items.Select(e => e.Attempt));
    }

    [Fact]
    public async Task SendAsync_Persistent500_FailsOverToPickupAfterRetries()
    {
        await using var acs = await AcsTestServer.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            acs.SendScript.Enqueue(500);
        }

        await using var services = Services(acs, s => s["Comms:Email:FailoverProvider"] = "Pickup");
        var lib = Unique("acs");
        await CreateLibraryAsync(services, lib);

        var result = await services.GetRequiredService<NoticeSender>().SendAsync(Notice(lib, "loan-3", new NoticeRecipient("Ann", "ann@example.org")));

        Assert.Equal(("Pickup", EmailStatus.Sent), (result.Recipients[0].Provider, result.Recipients[0].Status));
        Assert.Equal(5, acs.SendRequests);
        Assert.Empty(acs.Operations);
    }

    [Fact]
    public async Task SendAsync_CrashAfterAcsAccepted_RetrySendsSameOperationIdSoTheServiceHasOneOperation()
    {
        await using var acs = await AcsTestServer.StartAsync();
        await using var services = Services(acs, services: s => Wrap(s, ProviderNames.Acs, p => new ScriptedProvider(p)));
        var lib = Unique("acs");
        await CreateLibraryAsync(services, lib);
        var notice = Notice(lib, "loan-4", new NoticeRecipient("Ann", "ann@example.org"));
        var sender = services.GetRequiredService<NoticeSender>();
        var provider = (ScriptedProvider)services.GetRequiredService<EmailProviders>().Get(ProviderNames.Acs);
        provider.CrashAfterAccept = _ => true;

        await Assert.ThrowsAsync<SimulatedCrashException>(() => sender.SendAsync(notice));
        provider.CrashAfterAccept = _ => false;
        var retry = await sender.SendAsync(notice);

        Assert.Equal(EmailStatus.Sent, Assert.Single(retry.Recipients).Status);
        Assert.Equal(2, acs.SendRequests);
        Assert.Single(acs.Operations);
    }

    [Fact]
    public async Task SendAsync_WrongAccessKey_IsProviderDownWithoutRetries()
    {
        await using var acs = await AcsTestServer.StartAsync();
        await using var services = Services(acs, s => s["Comms:Email:Acs:ConnectionString"] = $"endpoint={acs.Endpoint};accesskey={Convert.ToBase64String(new byte[32])}");
        var lib = Unique("acs");
        await CreateLibraryAsync(services, lib);

        var result = await services.GetRequiredService<NoticeSender>().SendAsync(Notice(lib, "loan-5", new NoticeRecipient("Ann", "ann@example.org")));

        var outcome = Assert.Single(result.Recipients);
        Assert.Equal(EmailStatus.Failed, outcome.Status);
        Assert.StartsWith("ProviderDown: ACS 401", outcome.Reason, StringComparison.Ordinal);
        Assert.Single(acs.SignatureFailures);
        Assert.True(result.RetryLater);
    }
}
