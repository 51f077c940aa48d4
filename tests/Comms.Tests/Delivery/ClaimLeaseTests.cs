using Comms.Delivery;
using Comms.EmailLog;
using Comms.Storage;
using Comms.Suppression;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Delivery.DeliveryTestServices;

namespace Comms.Tests.Delivery;

/// <summary>
/// The claim lease protects a live send however slow it is, and only a dead one's claim is taken over. Time is a
/// <see cref="ManualClock"/>, so "longer than the lease" is exact and the renewals run when the test moves the clock,
/// never by luck of the machine's load. SES, as it has no idempotency key: a second call would be a second email.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ClaimLeaseTests(EmulatorFixture emulators)
{
    private const int LeaseSeconds = 6;
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(LeaseSeconds) / 3;
    private static readonly TimeSpan SyncWait = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Seen under load in the crash test: a send whose provider call outlasted the lease was taken over by a repeat
    /// (an activity redelivered), which sent the notice a second time. The first send now renews its claim while it
    /// works, so the repeat finds a fresh claim and leaves the notice to it.
    /// </summary>
    [Fact]
    public async Task SendAsync_RepeatWhileTheFirstSendOutlastsTheLease_ProviderCalledOnce()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var services = Create(emulators, Ses, s =>
        {
            Wrap(s, ProviderNames.Ses, p => new HeldProvider(p));
            s.AddSingleton<TimeProvider>(clock);
        });
        var (lib, loan, notice, noticeId) = await ArrangeAsync(services, "slow");
        var sender = services.GetRequiredService<NoticeSender>();
        var ses = (HeldProvider)services.GetRequiredService<EmailProviders>().Get(ProviderNames.Ses);

        var first = Task.Run(() => sender.SendAsync(notice));
        await ses.Entered.WaitAsync(SyncWait);

        // The first send stays in its provider call for four thirds of a lease: each third its renewal runs.
        for (var i = 0; i < 4; i++)
        {
            await RenewedAfterAdvanceAsync(clock, services, lib, noticeId);
        }

        var repeat = await sender.SendAsync(notice);
        ses.Release();
        var sent = await first;

        Assert.Equal(1, ses.Calls);
        Assert.Single(await SesStore.EmailsAsync(emulators.SesEndpoint, e => e.Subject == $"Overdue: {loan}"));
        Assert.Equal(EmailStatus.Sent, Assert.Single(sent.Recipients).Status);
        Assert.Equal(EmailStatus.Skipped, Assert.Single(repeat.Recipients).Status);
        Assert.True(repeat.RetryLater);
        Assert.Single(await ReadWholeLogAsync(services.GetRequiredService<EmailLogStore>(), lib), e => e.Status == EmailStatus.Sent);
    }

    /// <summary>
    /// A send that stalled a whole lease between its claim and its provider call (no renewal: to the others it looked
    /// dead) was taken over, and the attempt that took over sent the notice. When the stalled send wakes up it finds,
    /// before calling the provider, that the claim is no longer its own, and sends nothing.
    /// </summary>
    [Fact]
    public async Task SendAsync_SendStalledPastTheLeaseBeforeItsProviderCall_LeavesTheNoticeToTheAttemptThatTookOver()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var hold = new HoldFirstRequestPolicy();
        // The stall is held on the blacklist's point read, so this test reads the blacklist per send (refresh 0): from
        // memory, the first check is a load that every other check of the process waits for, the takeover's included.
        await using var services = Create(emulators, settings =>
        {
            Ses(settings);
            settings["Comms:Suppression:BlacklistRefreshSeconds"] = "0";
        }, s =>
        {
            Wrap(s, ProviderNames.Ses, p => new ScriptedProvider(p));
            s.AddSingleton<TimeProvider>(clock);
            var options = new Azure.Data.Tables.TableClientOptions();
            options.AddPolicy(hold, Azure.Core.HttpPipelinePosition.PerCall);
            s.AddSingleton(options);
        });
        var (lib, loan, notice, noticeId) = await ArrangeAsync(services, "stall");
        var sender = services.GetRequiredService<NoticeSender>();
        var ses = (ScriptedProvider)services.GetRequiredService<EmailProviders>().Get(ProviderNames.Ses);
        var ledger = services.GetRequiredService<NoticeLedger>();

        // The stalled send: its claim is stored, its blacklist read (which it waits for before sending) is held.
        var blacklist = (await services.GetRequiredService<CommsTables>().GetAsync(BlacklistStore.TableName)).Name;
        hold.Match = r => r.Method == Azure.Core.RequestMethod.Get && r.Uri.Path.Contains("/" + blacklist + "(", StringComparison.Ordinal);
        hold.Arm();
        var stalled = Task.Run(() => sender.SendAsync(notice));
        await hold.Reached.WaitAsync(SyncWait);
        await EndToEndHost.EventuallyAsync(() => ledger.GetAsync(lib, noticeId), row => row is not null, SyncWait, "the stalled send's claim");

        clock.Advance(TimeSpan.FromSeconds(LeaseSeconds + 1));
        var takeover = await sender.SendAsync(notice);
        hold.Release();
        var woken = await stalled;

        Assert.Equal(1, ses.Calls.Values.Sum());
        Assert.Single(await SesStore.EmailsAsync(emulators.SesEndpoint, e => e.Subject == $"Overdue: {loan}"));
        Assert.Equal(EmailStatus.Sent, Assert.Single(takeover.Recipients).Status);
        Assert.Equal(EmailStatus.Skipped, Assert.Single(woken.Recipients).Status);
        Assert.True(woken.RetryLater);
        Assert.Equal(LedgerState.Sent, (await ledger.GetAsync(lib, noticeId))!.GetState());
        Assert.Single(await ReadWholeLogAsync(services.GetRequiredService<EmailLogStore>(), lib), e => e.Status == EmailStatus.Sent);
    }

    private static void Ses(Dictionary<string, string?> settings)
    {
        settings["Comms:Email:Provider"] = "Ses";
        settings["Comms:Email:ClaimLeaseSeconds"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<(string Lib, string Loan, Notice Notice, string NoticeId)> ArrangeAsync(IServiceProvider services, string prefix)
    {
        var lib = Unique(prefix);
        await CreateLibraryAsync(services, lib);
        var loan = Unique("loan");
        var notice = Notice(lib, loan, new NoticeRecipient("Ann", "ann@example.org"));
        return (lib, loan, notice, NoticeIds.For(notice, NoticeIds.RecipientKey(notice.Recipients[0])));
    }

    /// <summary>
    /// Moves the clock on by a renewal interval once the sender's renewal timer is set, then waits until the claim
    /// shows that renewal. Both waits are bounded and assert nothing: without renewals the test goes on, and its
    /// assertions say what that cost.
    /// </summary>
    private static async Task RenewedAfterAdvanceAsync(ManualClock clock, IServiceProvider services, string lib, string noticeId)
    {
        await Until(() => Task.FromResult(clock.PendingTimers > 0));
        clock.Advance(RenewEvery);
        var now = clock.GetUtcNow();
        var ledger = services.GetRequiredService<NoticeLedger>();
        await Until(async () => (await ledger.GetAsync(lib, noticeId))?.RenewedAt == now);

        static async Task Until(Func<Task<bool>> condition)
        {
            var deadline = DateTime.UtcNow + SyncWait;
            while (!await condition() && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }
}
