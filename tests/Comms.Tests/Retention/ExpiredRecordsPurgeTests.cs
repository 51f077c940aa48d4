using Comms.Accounts;
using Comms.Circulation;
using Comms.Delivery;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Reservations;
using Comms.Retention;
using Comms.Storage;
using Comms.Suppression;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Retention.RetentionTestData;

namespace Comms.Tests.Retention;

/// <summary>
/// The daily purge on Azurite, as of <see cref="RetentionTestData.Now"/> with the default retention
/// (email log 400 days, ledger and digests 35, returned loans and closed reservations 90).
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ExpiredRecordsPurgeTests(EmulatorFixture emulators)
{
    private static readonly DateTimeOffset LogCutoff = Now.AddDays(-400);

    [Fact]
    public async Task RunAsync_EmailLog_DeletesRowsOlderThanTheCutoffWithTheirIndexRowsAndKeepsTheRest()
    {
        // Arrange: more expired rows than one table transaction holds, and rows at and after the cutoff.
        await using var services = TestServices.Create(emulators);
        await CreateLibrariesAsync(services, "lib");
        var expired = Enumerable.Range(0, 230).Select(i => LogEntry("lib", LogCutoff.AddMinutes(-1 - i), $"old-{i}")).ToList();
        var kept = new[] { LogEntry("lib", LogCutoff, "at-cutoff"), LogEntry("lib", LogCutoff.AddDays(1), "newer"), LogEntry("lib", Now.AddDays(-1)) };
        await services.GetRequiredService<EmailLogStore>().AppendManyAsync([.. expired, .. kept]);

        // Act
        var run = await services.GetRequiredService<ExpiredRecordsPurge>().RunAsync(Now);

        // Assert
        var left = await services.GetRequiredService<EmailLogStore>().QueryAsync("lib", new EmailLogQuery { PageSize = 1000 });
        var tables = services.GetRequiredService<CommsTables>();
        Assert.True(run.Completed);
        Assert.Equal((230, 230), (run.Deleted.EmailLog, run.Deleted.EmailLogIndex));
        Assert.Equal(kept.Select(e => e.Id).Order(), left.Items.Select(e => e.Id).Order());
        Assert.Equal(0, await CountAsync(tables, EmailLogStore.MessageIndexTable, IndexRowsOf("old-0")) + await CountAsync(tables, EmailLogStore.MessageIndexTable, IndexRowsOf("old-229")));
        Assert.Equal(2, await CountAsync(tables, EmailLogStore.MessageIndexTable));
    }

    [Fact]
    public async Task RunAsync_AfterARunCutOffBetweenIndexRowsAndLogRows_DeletesTheLogRowsLeft()
    {
        // Arrange: the index rows of expired entries are already gone, as after a run stopped half-way.
        await using var services = TestServices.Create(emulators);
        await CreateLibrariesAsync(services, "lib");
        var expired = Enumerable.Range(0, 3).Select(i => LogEntry("lib", LogCutoff.AddDays(-1 - i), $"old-{i}")).ToList();
        await services.GetRequiredService<EmailLogStore>().AppendManyAsync(expired);
        var index = new MessageIndex(services.GetRequiredService<CommsTables>());
        foreach (var entry in expired)
        {
            Assert.True(await index.DeleteAsync(entry));
        }

        // Act
        var run = await services.GetRequiredService<ExpiredRecordsPurge>().RunAsync(Now);

        // Assert
        var left = await services.GetRequiredService<EmailLogStore>().QueryAsync("lib", new EmailLogQuery());
        Assert.Equal((3, 0), (run.Deleted.EmailLog, run.Deleted.EmailLogIndex));
        Assert.Empty(left.Items);
    }

    [Fact]
    public async Task RunAsync_Ledger_DeletesRowsWrittenBeforeLedgerDaysWhateverTheirState()
    {
        // Arrange
        await using var services = TestServices.Create(emulators);
        await CreateLibrariesAsync(services, "lib");
        var ledger = services.GetRequiredService<NoticeLedger>();
        await ledger.MarkSentAsync("lib", "sent-old", "Ses", "m1", Now.AddDays(-36));
        await ledger.MarkFailedAsync("lib", "failed-old", "Ses", "rejected", Now.AddDays(-40));
        Assert.Null(await ledger.TryClaimAsync("lib", "claim-abandoned", "Ses", Now.AddDays(-36)));
        await ledger.MarkSentAsync("lib", "sent-recent", "Ses", "m2", Now.AddDays(-34));

        // Act
        var run = await services.GetRequiredService<ExpiredRecordsPurge>().RunAsync(Now);

        // Assert
        Assert.Equal(3, run.Deleted.Ledger);
        Assert.Null(await ledger.GetAsync("lib", "sent-old"));
        Assert.Null(await ledger.GetAsync("lib", "failed-old"));
        Assert.Null(await ledger.GetAsync("lib", "claim-abandoned"));
        Assert.NotNull(await ledger.GetAsync("lib", "sent-recent"));
    }

    [Fact]
    public async Task RunAsync_LoansAndReservations_DeletesThoseClosedBeforeClosedRecordDaysAndKeepsOpenOnes()
    {
        // Arrange: the active loan and the ready reservation are far older than the cutoff but still open.
        await using var services = TestServices.Create(emulators);
        await CreateLibrariesAsync(services, "lib");
        var loans = services.GetRequiredService<LoanStore>();
        await loans.TryInsertAsync(Loan("lib", "returned-old", "p1", Now.AddDays(-91)));
        await loans.TryInsertAsync(Loan("lib", "returned-recent", "p1", Now.AddDays(-89)));
        await loans.TryInsertAsync(Loan("lib", "still-out", "p1", returnedAt: null));
        var reservations = services.GetRequiredService<ReservationStore>();
        await reservations.TryInsertAsync(Reservation("lib", "collected-old", ReservationStatus.Collected, Now.AddDays(-91)));
        await reservations.TryInsertAsync(Reservation("lib", "cancelled-recent", ReservationStatus.Cancelled, Now.AddDays(-89)));
        await reservations.TryInsertAsync(Reservation("lib", "ready", ReservationStatus.Ready, closedAt: null));

        // Act
        var run = await services.GetRequiredService<ExpiredRecordsPurge>().RunAsync(Now);

        // Assert
        var tables = services.GetRequiredService<CommsTables>();
        Assert.Equal((1, 1), (run.Deleted.Loans, run.Deleted.Reservations));
        Assert.Null(await loans.GetAsync("lib", "returned-old"));
        Assert.NotNull(await loans.GetAsync("lib", "returned-recent"));
        Assert.Equal(["still-out"], (await loans.ListActiveForPatronAsync("lib", "p1")).Select(l => l.LoanId));
        Assert.Equal(2, await CountAsync(tables, "PatronLoans", InPartition("lib|p1")));
        Assert.Null(await reservations.GetAsync("lib", "collected-old"));
        Assert.NotNull(await reservations.GetAsync("lib", "cancelled-recent"));
        Assert.NotNull(await reservations.GetAsync("lib", "ready"));
    }

    [Fact]
    public async Task RunAsync_Digests_DeletesThoseWhoseSendTimeIsBeforeLedgerDays()
    {
        // Arrange: an old digest with two loans and its claim, and a recent one.
        await using var services = TestServices.Create(emulators);
        await CreateLibrariesAsync(services, "lib");
        var digests = services.GetRequiredService<LoanDigests>();
        var old = new PlannedStep("overdue", Now.AddDays(-36), DateOnly.FromDateTime(Now.AddDays(-36).UtcDateTime));
        var recent = new PlannedStep("overdue", Now.AddDays(-34), DateOnly.FromDateTime(Now.AddDays(-34).UtcDateTime));
        await digests.RegisterAsync(Track("lib", "loan-1"), old);
        await digests.RegisterAsync(Track("lib", "loan-2"), old);
        await digests.ClaimAsync(Track("lib", "loan-1"), old);
        await digests.RegisterAsync(Track("lib", "loan-3"), recent);

        // Act
        var run = await services.GetRequiredService<ExpiredRecordsPurge>().RunAsync(Now);

        // Assert
        var tables = services.GetRequiredService<CommsTables>();
        Assert.Equal(3, run.Deleted.LoanDigests);
        Assert.Equal(1, await CountAsync(tables, "LoanDigests", DigestsOf("lib")));
        Assert.Equal(1, await CountAsync(tables, "LoanDigests", InPartition("lib|" + LoanDigests.DigestId("p1", recent))));
    }

    [Fact]
    public async Task RunAsync_PasswordResetWindows_DeletesThoseIdleForADay()
    {
        // Arrange: the window row carries the table's own timestamp, so the purge runs as of the real clock.
        await using var services = TestServices.Create(emulators);
        await CreateLibrariesAsync(services, "lib");
        await services.GetRequiredService<PasswordResetThrottle>().AcquireAsync("lib", "p1");
        var purge = services.GetRequiredService<ExpiredRecordsPurge>();

        // Act
        var today = await purge.RunAsync(DateTimeOffset.UtcNow);
        var dayAfterTomorrow = await purge.RunAsync(DateTimeOffset.UtcNow.AddDays(2));

        // Assert
        Assert.Equal(0, today.Deleted.PasswordResetWindows);
        Assert.Equal(1, dayAfterTomorrow.Deleted.PasswordResetWindows);
        Assert.Equal(0, await CountAsync(services.GetRequiredService<CommsTables>(), "PasswordResetWindows"));
    }

    [Fact]
    public async Task PurgeLibraryAsync_OneLibrary_LeavesAnotherLibrarysExpiredRowsAlone()
    {
        // Arrange: "lib" and "lib-a" share a prefix, which a careless key range would mix up.
        await using var services = TestServices.Create(emulators);
        await CreateLibrariesAsync(services, "lib", "lib-a");
        await SeedExpiredAndRecentAsync(services, "lib");
        await SeedExpiredAndRecentAsync(services, "lib-a");
        var before = await CountEverythingAsync(services, "lib-a");

        // Act
        var deleted = await services.GetRequiredService<ExpiredRecordsPurge>().PurgeLibraryAsync("lib", Now);

        // Assert
        Assert.Equal(before, await CountEverythingAsync(services, "lib-a"));
        Assert.True(deleted.Total > 0);
        Assert.Equal(Halved(before), await CountEverythingAsync(services, "lib"));
    }

    [Fact]
    public async Task RunAsync_SecondRun_DeletesNothingAndKeepsWhatTheFirstKept()
    {
        // Arrange
        await using var services = TestServices.Create(emulators);
        await CreateLibrariesAsync(services, "lib", "lib-a");
        await SeedExpiredAndRecentAsync(services, "lib");
        await SeedExpiredAndRecentAsync(services, "lib-a");
        // The dashboard's counts are stored by the app's flush every few seconds; here at once.
        await services.GetRequiredService<Comms.EmailLog.EmailLogCounters>().FlushAsync();
        var purge = services.GetRequiredService<ExpiredRecordsPurge>();
        var first = await purge.RunAsync(Now);
        int[] afterFirst = [.. await CountEverythingAsync(services, "lib"), .. await CountEverythingAsync(services, "lib-a")];

        // Act
        var second = await purge.RunAsync(Now);

        // Assert
        Assert.Equal(2, first.Libraries);
        // Seven kinds of expired row per library, and the dashboard's counter row of the expired log row's day.
        Assert.Equal(2 * 8, first.Deleted.Total);
        Assert.Equal(2, first.Deleted.DashboardCounts);
        Assert.Equal(PurgeCounts.None, second.Deleted);
        Assert.True(second.Completed);
        int[] afterSecond = [.. await CountEverythingAsync(services, "lib"), .. await CountEverythingAsync(services, "lib-a")];
        Assert.Equal(afterFirst, afterSecond);
    }

    [Fact]
    public async Task RunAsync_ALibraryWithAnUnreadableRow_FailsAloneAndTheLibrariesAfterItArePurged()
    {
        // Arrange: "bad" comes first and holds a loan row that is not JSON.
        await using var services = TestServices.Create(emulators);
        await CreateLibrariesAsync(services, "bad", "good");
        await services.GetRequiredService<EmailLogStore>().AppendManyAsync([LogEntry("good", LogCutoff.AddDays(-1))]);
        var loans = await services.GetRequiredService<CommsTables>().GetAsync("Loans");
        await loans.AddEntityAsync(new JsonRow { PartitionKey = "bad", RowKey = "broken", Data = "{not json" });

        // Act
        var run = await services.GetRequiredService<ExpiredRecordsPurge>().RunAsync(Now);

        // Assert
        Assert.Equal((1, 1, 1), (run.Libraries, run.FailedLibraries, run.Deleted.EmailLog));
        Assert.True(run.Completed);
        Assert.Empty((await services.GetRequiredService<EmailLogStore>().QueryAsync("good", new EmailLogQuery())).Items);
    }

    private static async Task CreateLibrariesAsync(ServiceProvider services, params string[] ids)
    {
        foreach (var id in ids)
        {
            await services.GetRequiredService<LibraryService>().CreateAsync(Samples.Library(id));
        }
    }

    /// <summary>One expired and one recent record of each kind the purge dates by the caller's clock.</summary>
    private static async Task SeedExpiredAndRecentAsync(ServiceProvider services, string lib)
    {
        await services.GetRequiredService<EmailLogStore>().AppendManyAsync([LogEntry(lib, LogCutoff.AddDays(-1), $"{lib}-old"), LogEntry(lib, LogCutoff.AddDays(1), $"{lib}-new")]);
        var audit = services.GetRequiredService<BlacklistAudit>();
        var removed = new BlacklistEntry { Address = "p1@pupils.example.org", Reason = "hard bounce", Source = "ses", UpdatedAt = Now.AddDays(-500) };
        await audit.RecordAsync(lib, removed, "staff", LogCutoff.AddDays(-1));
        await audit.RecordAsync(lib, removed, "staff", LogCutoff.AddDays(1));
        var ledger = services.GetRequiredService<NoticeLedger>();
        await ledger.MarkSentAsync(lib, "old", "Ses", "m", Now.AddDays(-36));
        await ledger.MarkSentAsync(lib, "new", "Ses", "m", Now.AddDays(-34));
        var digests = services.GetRequiredService<LoanDigests>();
        await digests.RegisterAsync(Track(lib, "loan-1"), new PlannedStep("overdue", Now.AddDays(-36), default));
        await digests.RegisterAsync(Track(lib, "loan-1"), new PlannedStep("overdue", Now.AddDays(-34), default));
        var loans = services.GetRequiredService<LoanStore>();
        await loans.TryInsertAsync(Loan(lib, "old", "p1", Now.AddDays(-91)));
        await loans.TryInsertAsync(Loan(lib, "new", "p1", Now.AddDays(-89)));
        var reservations = services.GetRequiredService<ReservationStore>();
        await reservations.TryInsertAsync(Reservation(lib, "old", ReservationStatus.Expired, Now.AddDays(-91)));
        await reservations.TryInsertAsync(Reservation(lib, "new", ReservationStatus.Expired, Now.AddDays(-89)));
    }

    /// <summary>Rows per table of one library, in a fixed order (email log, index, audit, ledger, digests, loans, loan index, reservations).</summary>
    private static async Task<int[]> CountEverythingAsync(ServiceProvider services, string lib)
    {
        var tables = services.GetRequiredService<CommsTables>();
        return
        [
            await CountAsync(tables, EmailLogStore.TableName, InPartition(lib)),
            await CountAsync(tables, EmailLogStore.MessageIndexTable, IndexRowsOf($"{lib}-old")) + await CountAsync(tables, EmailLogStore.MessageIndexTable, IndexRowsOf($"{lib}-new")),
            await CountAsync(tables, "BlacklistAudit", InPartition(lib)),
            await CountAsync(tables, NoticeLedger.TableName, InPartition(lib)),
            await CountAsync(tables, "LoanDigests", DigestsOf(lib)),
            await CountAsync(tables, "Loans", InPartition(lib)),
            await CountAsync(tables, "PatronLoans", InPartition($"{lib}|p1")),
            await CountAsync(tables, "Reservations", InPartition(lib)),
        ];
    }

    private static int[] Halved(int[] counts) => [.. counts.Select(c => c / 2)];

    private static LoanTrack Track(string lib, string loanId) => new()
    {
        LibraryId = lib,
        LoanId = loanId,
        PatronId = "p1",
        DueAt = Now.AddDays(-40),
        NotBefore = Now.AddDays(-60),
    };
}
