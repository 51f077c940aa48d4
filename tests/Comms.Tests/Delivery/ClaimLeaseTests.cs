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
/// The pickup folder and ACS, whose claims a repeat takes over at once, on the real clock: a live send overtaken inside
/// its provider call still leaves one Sent row.
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

    /// <summary>
    /// A provider that deduplicates by the message key (the pickup folder, ACS) lets a repeat take an open claim over at
    /// once, so a crashed send is resent without waiting out the lease. The first send, alive and already inside its
    /// provider call (past the check that its claim is its own), cannot notice: the provider takes the message once, but
    /// both attempts record it. Before the fix each wrote its own Sent row (ids from its own time), so the log held two
    /// Sent rows for one email; the send must be recorded once, and reported Sent once.
    /// </summary>
    [Theory]
    [InlineData(ProviderNames.Pickup)]
    [InlineData(ProviderNames.Acs)]
    public async Task SendAsync_IdempotentProviderRepeatTakesOverWhileTheFirstIsInItsProviderCall_OneMessageAndOneSentRow(string providerName)
    {
        await using var acs = providerName == ProviderNames.Acs ? await AcsTestServer.StartAsync() : null;
        await using var services = Create(emulators, settings =>
        {
            settings["Comms:Email:Provider"] = providerName;
            if (acs is not null)
            {
                settings["Comms:Email:Acs:ConnectionString"] = acs.ConnectionString;
                settings["Comms:Email:Acs:MessagesPerSecond"] = "0";
            }
        }, s => Wrap(s, providerName, p => new HeldProvider(p)));
        var (lib, _, notice, noticeId) = await ArrangeAsync(services, "idem");
        var sender = services.GetRequiredService<NoticeSender>();
        var held = (HeldProvider)services.GetRequiredService<EmailProviders>().Get(providerName);

        // The first send has confirmed its claim and is inside the provider call; the repeat takes the claim over,
        // sends (the same message key) and records the send, all before the first send's call returns.
        var first = Task.Run(() => sender.SendAsync(notice));
        await held.Entered.WaitAsync(SyncWait);
        var repeat = await sender.SendAsync(notice).WaitAsync(SyncWait);
        held.Release();
        var sent = await first.WaitAsync(SyncWait);

        Assert.Equal(2, held.Calls);
        if (acs is not null)
        {
            Assert.Single(acs.Operations);
        }
        else
        {
            var directory = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmailOptions>>().Value.Pickup.Directory;
            Assert.Single(Directory.GetFiles(directory, "*.eml"));
        }

        var log = await ReadWholeLogAsync(services.GetRequiredService<EmailLogStore>(), lib);
        var row = Assert.Single(log, e => e.Status == EmailStatus.Sent);
        Assert.Equal(noticeId, row.NoticeId);
        Assert.Equal(1, new[] { sent, repeat }.Sum(r => r.Count(EmailStatus.Sent)));
        var ledgerRow = await services.GetRequiredService<NoticeLedger>().GetAsync(lib, noticeId);
        Assert.Equal(LedgerState.Sent, ledgerRow!.GetState());
        Assert.Equal(row.Id, ledgerRow.LogEntryId);
        Assert.Equal(row.ProviderMessageId, ledgerRow.ProviderMessageId);
    }

    /// <summary>
    /// As above, with a chain of takeovers: while the first send is inside its provider call, a repeat takes its claim
    /// over, sends and dies before recording anything (a crash between the accept and the ledger write); a third attempt
    /// takes that claim over at once and records the send. The first then finds the send recorded and records the same
    /// row: one file, one Sent row, one Sent report.
    /// </summary>
    [Fact]
    public async Task SendAsync_TakeoverOfATakeoverWhileTheFirstIsInItsProviderCall_OneFileAndOneSentRow()
    {
        ScriptedProvider? scripted = null;
        await using var services = Create(emulators, services: s =>
        {
            Wrap(s, ProviderNames.Pickup, p => scripted = new ScriptedProvider(p));
            Wrap(s, ProviderNames.Pickup, p => new HeldProvider(p));
        });
        var (lib, _, notice, noticeId) = await ArrangeAsync(services, "chain");
        var sender = services.GetRequiredService<NoticeSender>();
        var held = (HeldProvider)services.GetRequiredService<EmailProviders>().Get(ProviderNames.Pickup);

        var first = Task.Run(() => sender.SendAsync(notice));
        await held.Entered.WaitAsync(SyncWait);
        scripted!.CrashAfterAccept = _ => true;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => sender.SendAsync(notice).WaitAsync(SyncWait));
        scripted.CrashAfterAccept = _ => false;
        var third = await sender.SendAsync(notice).WaitAsync(SyncWait);
        held.Release();
        var sent = await first.WaitAsync(SyncWait);

        Assert.Equal(3, held.Calls);
        var directory = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmailOptions>>().Value.Pickup.Directory;
        Assert.Single(Directory.GetFiles(directory, "*.eml"));
        var row = Assert.Single(await ReadWholeLogAsync(services.GetRequiredService<EmailLogStore>(), lib), e => e.Status == EmailStatus.Sent);
        Assert.Equal(1, new[] { sent, third }.Sum(r => r.Count(EmailStatus.Sent)));
        Assert.Equal(row.Id, (await services.GetRequiredService<NoticeLedger>().GetAsync(lib, noticeId))!.LogEntryId);
    }

    /// <summary>
    /// While the first send is inside its provider call, a repeat takes its claim over and gets only transient failures,
    /// so it gives the claim back; a third attempt claims the notice afresh and sends it. The first send's accept then
    /// arrives on a claim that is neither its own nor the one it overtook: it still records the one Sent row the third
    /// attempt recorded, not a second.
    /// </summary>
    [Fact]
    public async Task SendAsync_OvertakerGivesTheClaimBackAndAThirdClaimsAfresh_OneFileAndOneSentRow()
    {
        ScriptedProvider? scripted = null;
        var failing = false;
        await using var services = Create(emulators, services: s =>
        {
            Wrap(s, ProviderNames.Pickup, p => scripted = new ScriptedProvider(p) { Before = (_, _) => Volatile.Read(ref failing) ? ProviderResult.Transient("busy") : null });
            Wrap(s, ProviderNames.Pickup, p => new HeldProvider(p));
        });
        var (lib, _, notice, noticeId) = await ArrangeAsync(services, "back");
        var sender = services.GetRequiredService<NoticeSender>();
        var held = (HeldProvider)services.GetRequiredService<EmailProviders>().Get(ProviderNames.Pickup);
        var ledger = services.GetRequiredService<NoticeLedger>();

        var first = Task.Run(() => sender.SendAsync(notice));
        await held.Entered.WaitAsync(SyncWait);
        Volatile.Write(ref failing, true);
        var gaveBack = await sender.SendAsync(notice).WaitAsync(SyncWait);
        Volatile.Write(ref failing, false);
        Assert.Null(await ledger.GetAsync(lib, noticeId));
        var third = await sender.SendAsync(notice).WaitAsync(SyncWait);
        held.Release();
        var sent = await first.WaitAsync(SyncWait);

        Assert.Equal(EmailStatus.Failed, Assert.Single(gaveBack.Recipients).Status);
        Assert.True(gaveBack.RetryLater);
        var directory = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmailOptions>>().Value.Pickup.Directory;
        Assert.Single(Directory.GetFiles(directory, "*.eml"));
        var row = Assert.Single(await ReadWholeLogAsync(services.GetRequiredService<EmailLogStore>(), lib), e => e.Status == EmailStatus.Sent);
        Assert.Equal(1, new[] { sent, third }.Sum(r => r.Count(EmailStatus.Sent)));
        Assert.Equal(row.Id, (await ledger.GetAsync(lib, noticeId))!.LogEntryId);
        Assert.Equal(2, scripted!.Accepted.Values.Single());
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
