using Comms.Circulation;
using Comms.Dashboard;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Storage;
using Comms.Suppression;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Dashboard.DashboardTests;

namespace Comms.Tests.Dashboard;

/// <summary>The library's contacts blacklisted per day, recorded from the provider reports on the library's own email.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class BlacklistGrowthTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task Reports_BouncesAndComplaintsOncePerAddress_CountPerLibraryAndDayUntilErasedOrPurged()
    {
        // Arrange: lib-a's emails to three readers and lib-b's to one.
        await using var services = TestServices.Create(emulators);
        var store = services.GetRequiredService<EmailLogStore>();
        var growth = services.GetRequiredService<BlacklistGrowth>();
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        await store.AppendManyAsync([Sent("lib-a", "m1", "one@example.org", now), Sent("lib-a", "m2", "two@example.org", now),
            Sent("lib-a", "m3", "three@example.org", now), Sent("lib-b", "m4", "four@example.org", now)]);

        // Act: a bounce reported twice, a complaint, a delivery (blacklists nothing) and the other library's bounce.
        await store.UpdateByMessageIdAsync("m1", null, EmailStatus.Bounced, "hard bounce");
        await store.UpdateByMessageIdAsync("m1", null, EmailStatus.Bounced, "hard bounce");
        await store.UpdateByMessageIdAsync("m2", null, EmailStatus.Complained, "complaint");
        await store.UpdateByMessageIdAsync("m3", null, EmailStatus.Delivered, null);
        await store.UpdateByMessageIdAsync("m4", null, EmailStatus.Bounced, "hard bounce");
        var report = await Dashboard(services, now).GetAsync("lib-a", DashboardRequest.Parse("7", null));

        // Assert: two of lib-a's addresses today, none on the other days, lib-b's apart.
        Assert.Equal(7, report.BlacklistAdded.Count);
        Assert.Equal(new DashboardCount(today, 2), report.BlacklistAdded[^1]);
        Assert.All(report.BlacklistAdded.SkipLast(1), d => Assert.Equal(0, d.Count));
        Assert.Equal(1, (await growth.CountAsync("lib-b", today, today)).PerDay[today]);

        // Erasure forgets the patron's address; retention deletes the days past it; nothing names an address.
        Assert.Equal(1, await growth.ForgetAsync("lib-a", ["ONE@example.org", null]));
        Assert.Equal(1, (await growth.CountAsync("lib-a", today, today)).PerDay[today]);
        var table = await services.GetRequiredService<CommsTables>().GetAsync(BlacklistGrowth.TableName);
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(r => r.PartitionKey == "lib-a"))
        {
            Assert.DoesNotContain("example", row.RowKey, StringComparison.Ordinal);
        }

        Assert.Equal(2, await growth.DeleteBeforeAsync("lib-a", today.AddDays(1)));
        Assert.Empty((await growth.CountAsync("lib-a", today, today)).PerDay);
    }

    private static DashboardService Dashboard(ServiceProvider services, DateTimeOffset now) => new(
        services.GetRequiredService<CommsTables>(), services.GetRequiredService<EmailLogCounters>(), services.GetRequiredService<LoanPlanIndex>(),
        services.GetRequiredService<LibraryStore>(), services.GetRequiredService<BlacklistGrowth>(), new FixedTime(now));

    private static EmailLogEntry Sent(string libraryId, string messageId, string address, DateTimeOffset now) => new()
    {
        Id = EmailLogStore.NewId(now.AddMinutes(-5)),
        Time = now.AddMinutes(-5),
        LibraryId = libraryId,
        Scenario = "overdue",
        NoticeId = "n-" + messageId,
        Address = address,
        Status = EmailStatus.Sent,
        Provider = "Pickup",
        ProviderMessageId = messageId,
    };
}
