using Comms.Storage;
using Comms.Suppression;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Comms.Tests.Suppression;

/// <summary>
/// The send path's blacklist check from memory: no storage call per check, this instance's writes seen at once,
/// another instance's additions within the refresh interval and its removals at the next full read.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class BlacklistMemoryTests(EmulatorFixture emulators)
{
    private static readonly SuppressionOptions Defaults = new() { BlacklistRefreshSeconds = 30, BlacklistFullReloadMinutes = 15 };

    [Fact]
    public async Task FindBeforeSend_ManyChecks_ReadTheTableOnce()
    {
        var counted = CountedTables.Create(emulators);
        var store = Store(counted.Tables, new ManualClock(DateTimeOffset.UtcNow), Defaults);
        await store.AddAsync("gone@example.org", "hard bounce", BlacklistSources.SesNotification, DateTimeOffset.UtcNow);
        counted.Reset();

        var found = new List<BlacklistEntry?>();
        for (var i = 0; i < 50; i++)
        {
            found.Add(await store.FindBeforeSendAsync(i % 2 == 0 ? "Gone@Example.org" : $"reader{i}@example.org"));
        }

        Assert.Equal(1, counted.Count);
        Assert.All(found.Where((_, i) => i % 2 == 0), e => Assert.Equal("hard bounce", e!.Reason));
        Assert.All(found.Where((_, i) => i % 2 == 1), Assert.Null);
    }

    [Fact]
    public async Task FindBeforeSend_ThisInstanceAddsAndRemoves_SeenAtOnceWithoutARead()
    {
        var counted = CountedTables.Create(emulators);
        var store = Store(counted.Tables, new ManualClock(DateTimeOffset.UtcNow), Defaults);
        Assert.Null(await store.FindBeforeSendAsync("ann@example.org"));

        await store.AddAsync("ann@example.org", "complaint", BlacklistSources.Staff, DateTimeOffset.UtcNow);
        await store.UpsertManyAsync([new BlacklistEntry { Address = "bob@example.org", Reason = "BOUNCE", Source = BlacklistSources.Ses, UpdatedAt = DateTimeOffset.UtcNow }], DateTimeOffset.UtcNow);
        counted.Reset();
        var added = (await store.FindBeforeSendAsync("ann@example.org"), await store.FindBeforeSendAsync("bob@example.org"));
        Assert.Equal(0, counted.Count);

        await store.RemoveAsync("ann@example.org");
        counted.Reset();
        var removed = await store.FindBeforeSendAsync("ann@example.org");

        Assert.Equal("complaint", added.Item1!.Reason);
        Assert.Equal("BOUNCE", added.Item2!.Reason);
        Assert.Null(removed);
        Assert.Equal(0, counted.Count);
    }

    [Fact]
    public async Task FindBeforeSend_AnotherInstanceAdds_SeenOnceTheRefreshIsDue()
    {
        var (_, clock, sender, other) = TwoInstances(Defaults);
        Assert.Null(await sender.FindBeforeSendAsync("late@example.org"));

        await other.AddAsync("late@example.org", "hard bounce", BlacklistSources.AcsEvent, DateTimeOffset.UtcNow);
        clock.Advance(TimeSpan.FromSeconds(29));
        var beforeRefresh = await sender.FindBeforeSendAsync("late@example.org");
        clock.Advance(TimeSpan.FromSeconds(1));
        var afterRefresh = await sender.FindBeforeSendAsync("late@example.org");

        Assert.Null(beforeRefresh);
        Assert.Equal(BlacklistSources.AcsEvent, afterRefresh!.Source);
    }

    [Fact]
    public async Task FindBeforeSend_AnotherInstanceRemoves_StaysSuppressedUntilTheFullRead()
    {
        var (_, clock, sender, other) = TwoInstances(Defaults);
        await other.AddAsync("back@example.org", "hard bounce", BlacklistSources.Ses, DateTimeOffset.UtcNow);
        Assert.NotNull(await sender.FindBeforeSendAsync("back@example.org"));

        await other.RemoveAsync("back@example.org");
        clock.Advance(TimeSpan.FromMinutes(14));
        var beforeFullRead = await sender.FindBeforeSendAsync("back@example.org");
        clock.Advance(TimeSpan.FromMinutes(1));
        var afterFullRead = await sender.FindBeforeSendAsync("back@example.org");

        Assert.NotNull(beforeFullRead);
        Assert.Null(afterFullRead);
    }

    [Fact]
    public async Task FindBeforeSend_RefreshZero_ReadsTheTableEveryTime()
    {
        var (counted, _, sender, other) = TwoInstances(new SuppressionOptions { BlacklistRefreshSeconds = 0 });
        Assert.Null(await sender.FindBeforeSendAsync("now@example.org"));

        await other.AddAsync("now@example.org", "complaint", BlacklistSources.Staff, DateTimeOffset.UtcNow);
        counted.Reset();
        var found = await sender.FindBeforeSendAsync("now@example.org");

        Assert.Equal("complaint", found!.Reason);
        Assert.Equal(1, counted.Count);
    }

    [Fact]
    public async Task FindBeforeSend_ManyChecksAtOnceWhenStale_OneRefresh()
    {
        var counted = CountedTables.Create(emulators);
        var store = Store(counted.Tables, new ManualClock(DateTimeOffset.UtcNow), Defaults);
        await store.AddAsync("first@example.org", "hard bounce", BlacklistSources.Ses, DateTimeOffset.UtcNow);
        counted.Reset();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => store.FindBeforeSendAsync($"r{i}@example.org").AsTask()));

        Assert.Equal(1, counted.Count);
    }

    [Fact]
    public async Task FindBeforeSend_RefreshStalls_OtherChecksAnswerFromMemoryUntilTwoIntervals()
    {
        var hold = new HoldFirstRequestPolicy { Match = _ => true };
        var counted = CountedTables.Create(emulators, hold);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var store = Store(counted.Tables, clock, Defaults);
        await store.AddAsync("known@example.org", "hard bounce", BlacklistSources.Ses, DateTimeOffset.UtcNow);
        Assert.NotNull(await store.FindBeforeSendAsync("known@example.org"));
        hold.Arm();

        clock.Advance(TimeSpan.FromSeconds(30));
        var refreshing = store.FindBeforeSendAsync("a@example.org").AsTask();
        await hold.Reached.WaitAsync(TimeSpan.FromSeconds(30));
        var duringRefresh = store.FindBeforeSendAsync("known@example.org");
        clock.Advance(TimeSpan.FromSeconds(30));
        var pastTwoIntervals = store.FindBeforeSendAsync("known@example.org").AsTask();

        // Answered at once from memory while the refresh is held; two intervals on, the check waits for the refresh.
        Assert.True(duringRefresh.IsCompletedSuccessfully);
        Assert.Equal("hard bounce", (await duringRefresh)!.Reason);
        Assert.False(refreshing.IsCompleted);
        Assert.False(pastTwoIntervals.IsCompleted);
        hold.Release();
        Assert.Null(await refreshing.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("hard bounce", (await pastTwoIntervals.WaitAsync(TimeSpan.FromSeconds(30)))!.Reason);
    }

    /// <summary>The sending instance (counted, on a clock the test moves) and another instance on the same tables.</summary>
    private (CountedTables Counted, ManualClock Clock, BlacklistStore Sender, BlacklistStore Other) TwoInstances(SuppressionOptions senderOptions)
    {
        var counted = CountedTables.Create(emulators);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var other = new CommsTables(Options.Create(new StorageOptions { ConnectionString = emulators.StorageConnectionString, TablePrefix = counted.Prefix }));
        return (counted, clock, Store(counted.Tables, clock, senderOptions), Store(other, new ManualClock(DateTimeOffset.UtcNow), Defaults));
    }

    private static BlacklistStore Store(CommsTables tables, TimeProvider clock, SuppressionOptions options) =>
        new(tables, new BlacklistMemory(tables, clock, Options.Create(options)));
}
