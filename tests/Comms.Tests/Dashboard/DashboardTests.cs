using System.Net;
using Comms.Common;
using Comms.Circulation;
using Comms.Dashboard;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Storage;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Dashboard;

[Collection(EmulatorCollection.Name)]
public sealed class DashboardTests(EmulatorFixture emulators)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetAsync_SeededLog_CountsPerDayByStatusRatesAndAttentionWithinTheRangeAndLibrary()
    {
        // Arrange: today and two days ago inside the 30 days, one row a day too old, and another library's bounces.
        await using var services = TestServices.Create(emulators);
        var store = services.GetRequiredService<EmailLogStore>();
        await store.AppendManyAsync([
            .. Rows("lib-a", Now.AddHours(-2), "overdue", EmailStatus.Sent, 3),
            .. Rows("lib-a", Now.AddHours(-1), "overdue", EmailStatus.Bounced, 1),
            .. Rows("lib-a", Now.AddDays(-2), "pre-overdue", EmailStatus.Complained, 1),
            .. Rows("lib-a", Now.AddDays(-2), "escalation-1", EmailStatus.Failed, 2),
            .. Rows("lib-a", Now.AddDays(-2), "overdue", EmailStatus.InvalidAddress, 1),
            .. Rows("lib-a", Now.AddDays(-2), "overdue", EmailStatus.Suppressed, 1),
            .. Rows("lib-a", new DateTimeOffset(2026, 3, 1, 23, 59, 0, TimeSpan.Zero), "overdue", EmailStatus.Sent, 5),
            .. Rows("lib-b", Now.AddHours(-1), "overdue", EmailStatus.Bounced, 4),
        ]);
        var dashboard = new DashboardService(services.GetRequiredService<CommsTables>(), services.GetRequiredService<EmailLogCounters>(), services.GetRequiredService<LoanPlanIndex>(), services.GetRequiredService<LibraryStore>(), services.GetRequiredService<Comms.Suppression.BlacklistGrowth>(), new FixedTime(Now));

        // Act
        var all = await dashboard.GetAsync("lib-a", DashboardRequest.Parse(null, null));
        var overdue = await dashboard.GetAsync("lib-a", DashboardRequest.Parse("7", "overdue"));

        // Assert: 30 days ending today, the too-old row and the other library left out.
        Assert.Equal((new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 31)), (all.From, all.To));
        Assert.Equal(30, all.Days.Count);
        Assert.Equal(new Dictionary<string, int> { ["sent"] = 3, ["bounced"] = 1 }, all.Days[^1].Statuses);
        Assert.Equal(new Dictionary<string, int> { ["complained"] = 1, ["failed"] = 2, ["invalidAddress"] = 1, ["suppressed"] = 1 }, all.Days[^3].Statuses);
        Assert.Equal(9, all.Days.Sum(d => d.Total));
        Assert.Equal((5, 1, 1), (all.Health.Accepted, all.Health.Bounced, all.Health.Complained));
        Assert.Equal(0.2, all.Health.BounceRate, 6);
        Assert.Equal("pause", all.Health.Level);
        Assert.Equal(new Dictionary<string, int> { ["failed"] = 2, ["invalidAddress"] = 1 }, all.NeedsAttention);
        Assert.False(all.Truncated);

        // A scenario narrows the series only: the provider rates and attention stay the library's whole sending.
        Assert.Equal(7, overdue.Days.Count);
        Assert.Equal("overdue", overdue.Scenario);
        Assert.Equal(new Dictionary<string, int> { ["invalidAddress"] = 1, ["suppressed"] = 1 }, overdue.Days[^3].Statuses);
        Assert.Equal(all.Health, overdue.Health);
    }

    [Fact]
    public void SendingHealth_RatesAgainstSesThresholds_NameTheWorseLevel()
    {
        Assert.Equal("ok", new SendingHealth(0, 0, 0).Level);
        Assert.Equal("ok", new SendingHealth(1000, 49, 0).Level);
        Assert.Equal("review", new SendingHealth(1000, 50, 0).Level);
        Assert.Equal("review", new SendingHealth(1000, 0, 1).Level);
        Assert.Equal("pause", new SendingHealth(1000, 60, 5).Level);
    }

    [Fact]
    public void Parse_BadDaysAndScenario_ListsEveryField()
    {
        var e = Assert.Throws<RequestValidationException>(() => DashboardRequest.Parse("91", "late"));

        Assert.Equal(["days", "scenario"], e.Errors.Keys.Order());
        Assert.Throws<RequestValidationException>(() => DashboardRequest.Parse("0", null));
        Assert.Throws<RequestValidationException>(() => DashboardRequest.Parse("-1", null));
        Assert.Throws<RequestValidationException>(() => DashboardRequest.Parse("1e3", null));
    }

    [Fact]
    public async Task GetDashboard_OverHttp_OwnKeyReadsOtherLibrarysKeyIs403BadQueryIs400ProblemJson()
    {
        await using var server = await DevHostServer.StartAsync(emulators);
        var keyA = await server.CreateLibraryAsync(Samples.Library("lib-a"));
        var keyB = await server.CreateLibraryAsync(Samples.Library("lib-b"));
        await server.Services.GetRequiredService<EmailLogStore>().AppendManyAsync([.. Rows("lib-a", DateTimeOffset.UtcNow.AddDays(-2), "overdue", EmailStatus.Failed, 2)]);

        using var own = await server.SendAsync(HttpMethod.Get, "/api/libraries/lib-a/dashboard?days=30", keyA);
        using var other = await server.SendAsync(HttpMethod.Get, "/api/libraries/lib-a/dashboard", keyB);
        using var bad = await server.SendAsync(HttpMethod.Get, "/api/libraries/lib-a/dashboard?days=100000000000&scenario=%3Cscript%3E", keyA);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var json = await own.JsonAsync();
        Assert.Equal(30, json["days"]!.AsArray().Count);
        Assert.Equal(2, (int)json["needsAttention"]!["failed"]!);
        Assert.Equal(0.05, (double)json["health"]!["bounceThresholds"]!["review"]!);
        Assert.Equal("ok", (string?)json["health"]!["level"]);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        await bad.AssertProblemAsync(400, "days", "scenario");
    }

    internal static IEnumerable<EmailLogEntry> Rows(string libraryId, DateTimeOffset time, string scenario, EmailStatus status, int count) =>
        Enumerable.Range(0, count).Select(i => new EmailLogEntry
        {
            Id = EmailLogStore.NewId(time.AddSeconds(i)),
            Time = time.AddSeconds(i),
            LibraryId = libraryId,
            Scenario = scenario,
            NoticeId = $"n-{scenario}-{status}-{i}",
            Address = $"reader{i}@example.org",
            Status = status,
            Provider = "Pickup",
        });

    internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
