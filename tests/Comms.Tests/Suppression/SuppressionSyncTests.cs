using Comms.Contacts;
using Comms.Delivery;
using Comms.EmailLog;
using Comms.Suppression;
using Comms.Tests.Delivery;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Delivery.DeliveryTestServices;

namespace Comms.Tests.Suppression;

[Collection(EmulatorCollection.Name)]
public sealed class SuppressionSyncTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task RunAsync_FirstRunWithThrottling_CopiesEveryAddressWithReasonAndTime()
    {
        await using var ses = await FakeSesSuppressionServer.StartAsync();
        ses.Generated = 2_345;
        ses.ThrottleEvery = 2;
        await using var services = SuppressionTestServices.Create(emulators, ses, s => s["Comms:Suppression:Ses:PageSize"] = "500");
        var blacklist = services.GetRequiredService<BlacklistStore>();

        var result = Assert.Single(await services.GetRequiredService<SuppressionSync>().RunAsync());

        Assert.True(result.Full);
        Assert.True(result.Completed);
        Assert.Equal(2_345, result.Processed);
        Assert.Equal(5, result.Pages);
        Assert.True(ses.Throttled > 0);
        var bounce = await blacklist.GetAsync(FakeSesSuppressionServer.Address(10));
        var complaint = await blacklist.GetAsync(FakeSesSuppressionServer.Address(2_343).ToUpperInvariant());
        Assert.Equal(("hard bounce", "ses", ses.BaseTime.AddSeconds(10)), (bounce!.Reason, bounce.Source, bounce.UpdatedAt));
        Assert.Equal("complaint", complaint!.Reason);
        Assert.All(ses.Requests, r => Assert.Contains("Reason=BOUNCE&Reason=COMPLAINT", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_InterruptedHalfWay_ResumesFromTheCheckpointedPage()
    {
        await using var ses = await FakeSesSuppressionServer.StartAsync();
        ses.Generated = 1_000;
        ses.FailFromPage = 2;
        await using var services = SuppressionTestServices.Create(emulators, ses, s =>
        {
            s["Comms:Suppression:Ses:PageSize"] = "200";
            s["Comms:Suppression:Ses:MaxAttempts"] = "1";
        });
        var sync = services.GetRequiredService<SuppressionSync>();

        await Assert.ThrowsAsync<SuppressionProviderException>(() => sync.RunAsync());
        ses.FailFromPage = null;
        while (ses.Requests.TryDequeue(out _))
        {
        }

        var result = Assert.Single(await sync.RunAsync());

        Assert.True(result.Resumed);
        Assert.Equal(1_000, result.Processed);
        Assert.Equal(5, result.Pages);
        Assert.Contains("NextToken=tok-400", ses.Requests.First(), StringComparison.Ordinal);
        Assert.DoesNotContain(ses.Requests, r => !r.Contains("NextToken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_CheckpointTokenExpired_ReadsTheWindowAgainFromItsStart()
    {
        await using var ses = await FakeSesSuppressionServer.StartAsync();
        ses.Generated = 10;
        ses.FailFromPage = 1;
        await using var services = SuppressionTestServices.Create(emulators, ses, s =>
        {
            s["Comms:Suppression:Ses:PageSize"] = "4";
            s["Comms:Suppression:Ses:MaxAttempts"] = "1";
        });
        var sync = services.GetRequiredService<SuppressionSync>();
        await Assert.ThrowsAsync<SuppressionProviderException>(() => sync.RunAsync());
        ses.FailFromPage = null;
        ses.ExpireTokens = 1;
        while (ses.Requests.TryDequeue(out _))
        {
        }

        var result = Assert.Single(await sync.RunAsync());

        Assert.True(result.Completed);
        Assert.Equal(["NextToken=tok-4", "no token"], ses.Requests.Take(2).Select(r => r.Contains("NextToken=tok-4", StringComparison.Ordinal) ? "NextToken=tok-4" : r.Contains("NextToken", StringComparison.Ordinal) ? r : "no token"));
        Assert.True(await services.GetRequiredService<BlacklistStore>().IsBlacklistedAsync(FakeSesSuppressionServer.Address(9)));
    }

    [Fact]
    public async Task RunAsync_SecondRun_IsIncrementalFromTheWatermarkAndAFullResyncDropsAddressesSesLetGo()
    {
        await using var ses = await FakeSesSuppressionServer.StartAsync();
        ses.Generated = 300;
        await using var services = SuppressionTestServices.Create(emulators, ses);
        var sync = services.GetRequiredService<SuppressionSync>();
        var blacklist = services.GetRequiredService<BlacklistStore>();
        await sync.RunAsync();
        ses.Removed.TryAdd(FakeSesSuppressionServer.Address(7), 0);
        ses.Extra["late@bounces.example.org"] = ("BOUNCE", DateTimeOffset.UtcNow.AddSeconds(-2));
        while (ses.Requests.TryDequeue(out _))
        {
        }

        var incremental = Assert.Single(await sync.RunAsync());
        var stillThere = await blacklist.IsBlacklistedAsync(FakeSesSuppressionServer.Address(7));
        var full = await sync.RunAsync(services.GetRequiredService<SesSuppressionSource>(), forceFull: true);

        Assert.False(incremental.Full);
        Assert.Equal(1, incremental.Processed);
        Assert.Contains("StartDate=", ses.Requests.First(), StringComparison.Ordinal);
        Assert.True(await blacklist.IsBlacklistedAsync("late@bounces.example.org"));
        Assert.True(stillThere);
        Assert.True(full.Full);
        Assert.Equal(1, full.Swept);
        Assert.False(await blacklist.IsBlacklistedAsync(FakeSesSuppressionServer.Address(7)));
    }

    [Fact]
    public async Task RunAsync_BadPageSizeFromConfiguration_FailsAtStart()
    {
        await using var ses = await FakeSesSuppressionServer.StartAsync();

        Assert.ThrowsAny<Exception>(() =>
        {
            using var services = SuppressionTestServices.Create(emulators, ses, s => s["Comms:Suppression:Ses:PageSize"] = "5000");
            _ = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SuppressionOptions>>().Value;
        });
    }

    [Fact]
    public async Task SendAsync_RightAfterASync_SuppressesTheAddressAndSendsNothing()
    {
        await using var ses = await FakeSesSuppressionServer.StartAsync();
        var lib = Unique("sync");
        var address = $"{lib}@bounced.example.org";
        ses.Extra[address] = ("BOUNCE", DateTimeOffset.UtcNow.AddMinutes(-5));
        await using var services = SuppressionTestServices.Create(emulators, ses, s => s["Comms:Email:Provider"] = "Ses");
        await CreateLibraryAsync(services, lib);
        await services.GetRequiredService<SuppressionSync>().RunAsync();
        var loan = Unique("loan");

        var result = await services.GetRequiredService<NoticeSender>().SendAsync(Notice(lib, loan, new NoticeRecipient("Bea", address.ToUpperInvariant(), ContactRole.Patron, "p-1")));

        Assert.Equal(EmailStatus.Suppressed, Assert.Single(result.Recipients).Status);
        var logged = await services.GetRequiredService<EmailLogService>().QueryAsync(lib, new EmailLogFilter(null, null, null, null, null));
        Assert.Equal(EmailStatus.Suppressed, Assert.Single(logged.Items).Status);
        Assert.Empty(await SesStore.EmailsAsync(emulators.SesEndpoint, e => e.Subject.Contains(loan, StringComparison.Ordinal)));
    }
}
