using Azure.Data.Tables;
using Comms.Circulation;
using Comms.Dashboard;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Storage;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static Comms.Tests.Dashboard.DashboardTests;

namespace Comms.Tests.Dashboard;

/// <summary>The per-day counters the dashboard reads instead of the log, and the scan it falls back to before them.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class DashboardCounterTests(EmulatorFixture emulators)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Counting began on 10 March for the library: days after it come from counters, the rest from the log.</summary>
    private static readonly DateTimeOffset CountingBegan = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetAsync_DaysAfterCountingBegan_ReadCountersAndEarlierDaysScanTheLogOnce()
    {
        // Arrange: rows before and after the since day, then the later days' log rows deleted behind the counters' back.
        await using var services = TestServices.Create(emulators);
        var (store, counters, dashboard) = Create(services);
        await store.AppendManyAsync([.. Rows("lib-a", CountingBegan.AddDays(-5), "overdue", EmailStatus.Sent, 2)]);
        await store.AppendManyAsync([.. Rows("lib-a", CountingBegan.AddHours(1), "overdue", EmailStatus.Failed, 1)]);
        await store.AppendManyAsync([.. Rows("lib-a", Now.AddDays(-1), "pre-overdue", EmailStatus.Sent, 3)]);
        await store.AppendAsync(Rows("lib-a", Now.AddHours(-1), "overdue", EmailStatus.Bounced, 1).Single());
        await store.AppendManyAsync([.. Rows("lib-b", Now.AddHours(-1), "overdue", EmailStatus.Bounced, 4)]);
        await DeleteLogRowsAsync(services, "lib-a", from: CountingBegan.AddDays(1));

        // Act
        var report = await dashboard.GetAsync("lib-a", DashboardRequest.Parse(null, null));
        var overdue = await dashboard.GetAsync("lib-a", DashboardRequest.Parse(null, "overdue"));

        // Assert: the since day and before are the log's rows, counted once; the later days survive the deletion.
        Assert.Equal(new DateOnly(2026, 3, 10), await counters.SinceAsync("lib-a"));
        Assert.Equal(new Dictionary<string, int> { ["sent"] = 2 }, Day(report, CountingBegan.AddDays(-5)));
        Assert.Equal(new Dictionary<string, int> { ["failed"] = 1 }, Day(report, CountingBegan));
        Assert.Equal(new Dictionary<string, int> { ["sent"] = 3 }, Day(report, Now.AddDays(-1)));
        Assert.Equal(new Dictionary<string, int> { ["bounced"] = 1 }, Day(report, Now));
        Assert.Equal((6, 1), (report.Health.Accepted, report.Health.Bounced));
        Assert.Equal(1, report.NeedsAttention["failed"]);
        Assert.Empty(Day(overdue, Now.AddDays(-1)));
        Assert.Equal(new Dictionary<string, int> { ["bounced"] = 1 }, Day(overdue, Now));
    }

    [Fact]
    public async Task AppendManyAsync_RetriedSentRow_IsCountedOnce()
    {
        // Arrange: two attempts record the same notice's Sent row (the deterministic id collides).
        await using var services = TestServices.Create(emulators);
        var (store, counters, _) = Create(services);
        var sent = Sent("lib-a", "notice-1", "msg-1");

        // Act
        var first = await store.AppendManyAsync([sent]);
        var second = await store.AppendManyAsync([sent, .. Rows("lib-a", Now.AddMinutes(-5), "overdue", EmailStatus.Suppressed, 1)]);

        // Assert
        Assert.Empty(first);
        Assert.Equal([sent.Id], second);
        var today = (await counters.ReadAsync("lib-a", DateOnly.FromDateTime(Now.UtcDateTime), DateOnly.FromDateTime(Now.UtcDateTime))).Single().Value;
        Assert.Equal(1, today[("overdue", "Sent")]);
        Assert.Equal(1, today[("overdue", "Suppressed")]);
    }

    [Fact]
    public async Task UpdateByMessageIdAsync_Report_MovesTheCountOnceEvenWhenRepeated()
    {
        // Arrange
        await using var services = TestServices.Create(emulators);
        var (store, counters, _) = Create(services);
        await store.AppendManyAsync([Sent("lib-a", "notice-1", "msg-1"), Sent("lib-a", "notice-2", "msg-2")]);

        // Act: the same bounce reported twice (SNS redelivers), then a delivery.
        await store.UpdateByMessageIdAsync("msg-1", null, EmailStatus.Bounced, "550 no such user");
        await store.UpdateByMessageIdAsync("msg-1", null, EmailStatus.Bounced, "550 no such user");
        await store.UpdateByMessageIdAsync("msg-2", null, EmailStatus.Delivered, null);

        // Assert
        var day = DateOnly.FromDateTime(Now.UtcDateTime);
        var counts = (await counters.ReadAsync("lib-a", day, day)).Single().Value;
        Assert.Equal(0, counts.GetValueOrDefault(("overdue", "Sent")));
        Assert.Equal(1, counts[("overdue", "Bounced")]);
        Assert.Equal(1, counts[("overdue", "Delivered")]);
    }

    [Fact]
    public async Task AppendAsync_ManyWritersAtOnce_CountEveryRow()
    {
        // Arrange: 60 attempts of one library and day at once, contending for the day's few counter rows.
        await using var services = TestServices.Create(emulators);
        var (store, counters, _) = Create(services);
        var rows = Rows("lib-a", Now.AddHours(-3), "overdue", EmailStatus.Failed, 60).ToList();

        // Act
        await Task.WhenAll(rows.Select(r => store.AppendAsync(r)));

        // Assert: all counted, stored as this process's one row of the day, and gone with retention.
        var day = DateOnly.FromDateTime(Now.UtcDateTime);
        Assert.Equal(60, (await counters.ReadAsync("lib-a", day, day)).Single().Value[("overdue", "Failed")]);
        Assert.Equal(1, await counters.FlushAsync());
        Assert.Equal(0, await counters.FlushAsync());
        Assert.Equal(0, await counters.DeleteBeforeAsync("lib-a", day));
        Assert.Equal(1, await counters.DeleteBeforeAsync("lib-a", day.AddDays(1)));
        Assert.Empty(await counters.ReadAsync("lib-a", day, day));
    }

    [Fact]
    public async Task ReadAsync_TwoProcessesCounting_SumsTheirFlushedRowsAndItsOwnUnflushedCounts()
    {
        // Arrange: two processes (two counters) log rows of the same library and day; a third only reads.
        await using var services = TestServices.Create(emulators);
        var (storeA, countersA, _) = Create(services);
        var (storeB, countersB, _) = Create(services);
        var (_, reader, _) = Create(services);
        var day = DateOnly.FromDateTime(Now.UtcDateTime);
        await storeA.AppendManyAsync([.. Rows("lib-a", Now.AddHours(-2), "overdue", EmailStatus.Sent, 3)]);
        await storeB.AppendManyAsync([.. Rows("lib-a", Now.AddHours(-1), "overdue", EmailStatus.Sent, 2)]);

        // Act: A flushes, then counts more without flushing; B flushes, then a report moves one of B's rows.
        await countersA.FlushAsync();
        await storeA.AppendAsync(Rows("lib-a", Now.AddMinutes(-30), "overdue", EmailStatus.Failed, 1).Single());
        await countersB.FlushAsync();
        await countersB.MoveAsync("lib-a", TableKeys.NewestFirst(Now.AddHours(-1)), "overdue", "Sent", "Bounced");
        await countersB.FlushAsync();

        // Assert: the reader sees what both stored; A also sees its own unflushed row, counted once.
        var stored = (await reader.ReadAsync("lib-a", day, day)).Single().Value;
        var seenByA = (await countersA.ReadAsync("lib-a", day, day)).Single().Value;
        Assert.Equal((4, 1, 0), (stored[("overdue", "Sent")], stored[("overdue", "Bounced")], stored.GetValueOrDefault(("overdue", "Failed"))));
        Assert.Equal((4, 1, 1), (seenByA[("overdue", "Sent")], seenByA[("overdue", "Bounced")], seenByA[("overdue", "Failed")]));
    }

    private static (EmailLogStore Store, EmailLogCounters Counters, DashboardService Dashboard) Create(ServiceProvider services)
    {
        var tables = services.GetRequiredService<CommsTables>();
        var counters = new EmailLogCounters(tables, new FixedTime(CountingBegan), NullLogger<EmailLogCounters>.Instance);
        return (new EmailLogStore(tables, counters), counters, new DashboardService(tables, counters, services.GetRequiredService<LoanPlanIndex>(), services.GetRequiredService<LibraryStore>(), services.GetRequiredService<Comms.Suppression.BlacklistGrowth>(), new FixedTime(Now)));
    }

    private static EmailLogEntry Sent(string libraryId, string noticeId, string messageId) => new()
    {
        Id = EmailLogStore.SentEntryId(noticeId, Now.AddMinutes(-10)),
        Time = Now.AddMinutes(-10),
        LibraryId = libraryId,
        Scenario = "overdue",
        NoticeId = noticeId,
        Address = "reader@example.org",
        Status = EmailStatus.Sent,
        Provider = "Pickup",
        ProviderMessageId = messageId,
    };

    private static IReadOnlyDictionary<string, int> Day(DashboardReport report, DateTimeOffset time) =>
        report.Days.Single(d => d.Date == DateOnly.FromDateTime(time.UtcDateTime)).Statuses;

    private static async Task DeleteLogRowsAsync(ServiceProvider services, string libraryId, DateTimeOffset from)
    {
        var table = await services.GetRequiredService<CommsTables>().GetAsync(EmailLogStore.TableName);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {libraryId} and RowKey lt {TableKeys.NewestFirst(from) + "."}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"]))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }
    }
}
