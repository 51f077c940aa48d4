using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Comms.Circulation;
using Comms.Libraries;
using Comms.Tests.Circulation;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Dashboard;

/// <summary>Tonight's planned notices: the send-time index the loan planner writes, and the dashboard that reads it.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class PlannedNoticesTests(EmulatorFixture emulators)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Tonight = new(2026, 3, 31, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task NextAsync_RePlannedClearedAndOtherLibrarysLoans_CountsEachLoanOnceAtTheNextSendTime()
    {
        // Arrange: three loans tonight, one tomorrow, one re-planned from tonight to tomorrow (twice: a retried
        // activity), one ended, one already past, and another library's loans tonight.
        await using var services = TestServices.Create(emulators);
        var index = services.GetRequiredService<LoanPlanIndex>();
        await index.RecordAsync("lib-a", "l1", Step("overdue", Tonight));
        await index.RecordAsync("lib-a", "l2", Step("overdue", Tonight));
        await index.RecordAsync("lib-a", "l3", Step("escalation-1", Tonight));
        await index.RecordAsync("lib-a", "l4", Step("pre-overdue", Tonight.AddDays(1)));
        await index.RecordAsync("lib-a", "l5", Step("overdue", Tonight));
        await index.RecordAsync("lib-a", "l5", Step("escalation-1", Tonight.AddDays(1)));
        await index.RecordAsync("lib-a", "l5", Step("escalation-1", Tonight.AddDays(1)));
        await index.RecordAsync("lib-a", "l6", Step("overdue", Tonight));
        await index.ClearAsync("lib-a", "l6");
        await index.ClearAsync("lib-a", "l6");
        await index.RecordAsync("lib-a", "l7", Step("overdue", Now.AddHours(-1)));
        await index.RecordAsync("lib-b", "l1", Step("overdue", Tonight));

        // Act
        var tonight = await index.NextAsync("lib-a", Now);
        var tomorrow = await index.NextAsync("lib-a", Tonight.AddMinutes(1));
        var none = await index.NextAsync("lib-a", Tonight.AddDays(2));

        // Assert
        Assert.Equal(Tonight, tonight!.At);
        Assert.Equal(new Dictionary<string, int> { ["overdue"] = 2, ["escalation-1"] = 1 }, tonight.Steps);
        Assert.Equal(new Dictionary<string, int> { ["pre-overdue"] = 1, ["escalation-1"] = 1 }, tomorrow!.Steps);
        Assert.Null(none);
        Assert.Equal(1, (await index.NextAsync("lib-b", Now))!.Steps["overdue"]);
    }

    [Fact]
    public async Task RecordAsync_ReplanAndEnd_OneReadAndOneTransactionEach()
    {
        var counted = CountedTables.Create(emulators);
        var index = new LoanPlanIndex(counted.Tables);
        await index.RecordAsync("lib-a", "l1", Step("overdue", Tonight));
        counted.Reset();

        await index.RecordAsync("lib-a", "l1", Step("escalation-1", Tonight.AddDays(7)));
        var replan = counted.Count;
        counted.Reset();
        await index.ClearAsync("lib-a", "l1");
        var end = counted.Count;

        // The pointer's read, then the new row, the pointer and the old row's removal in one transaction.
        Assert.Equal(2, replan);
        Assert.Equal(2, end);
        Assert.Null(await index.NextAsync("lib-a", Now));
    }

    [Fact]
    public async Task RecordAsync_TheOldRowAlreadyGone_StillMovesTheLoanToItsNewStep()
    {
        // A repeated activity or a concurrent clear removed the row the pointer names: the transaction that deletes it
        // is refused as a whole, and the same changes one by one still end with the loan's one new row.
        var counted = CountedTables.Create(emulators);
        var index = new LoanPlanIndex(counted.Tables);
        await index.RecordAsync("lib-a", "l1", Step("overdue", Tonight));
        var table = await counted.Tables.GetAsync(LoanPlanIndex.TableName);
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(r => r.PartitionKey == "lib-a"))
        {
            if (row.RowKey.StartsWith("t|", StringComparison.Ordinal))
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
            }
        }

        await index.RecordAsync("lib-a", "l1", Step("escalation-1", Tonight.AddDays(1)));

        var next = await index.NextAsync("lib-a", Now);
        Assert.Equal(Tonight.AddDays(1), next!.At);
        Assert.Equal(new Dictionary<string, int> { ["escalation-1"] = 1 }, next.Steps);
    }

    [Fact]
    public async Task Dashboard_RealLoans_ShowsTheirNextStepInTheLibrarysZoneAndDropsReturnedLoans()
    {
        // Arrange: the real durable engine; two loans due together and one later, so the next send time has two.
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = "plan-" + Guid.NewGuid().ToString("N")[..10];
        using var client = await host.CreateLibraryAsync(Samples.Library(libraryId) with
        {
            TimeZone = "America/New_York",
            Timing = new NoticeTiming { PreOverdueDaysBefore = 2, OverdueGraceDays = 1, EscalationDaysAfterDue = [2] },
        });
        var due = new DateTimeOffset(DateTimeOffset.UtcNow.AddDays(30).Date, TimeSpan.Zero);
        await LoanOrchestrationTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new
        {
            patronId = "p1",
            loans = new[] { new { loanId = "a", title = "Dune", dueAt = due }, new { loanId = "b", title = "Emma", dueAt = due } },
        }, HttpStatusCode.Created);
        await LoanOrchestrationTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new { loanId = "c", patronId = "p2", title = "Kim", dueAt = due.AddDays(7) }, HttpStatusCode.Created);

        // Act
        var before = await PlannedAsync(client, libraryId);
        await LoanOrchestrationTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/a/return", null, HttpStatusCode.Accepted);
        var afterOne = await CirculationHost.EventuallyAsync(() => PlannedAsync(client, libraryId).Result,
            p => p.GetProperty("scenarios").GetProperty("pre-overdue").GetInt32() == 1, TimeSpan.FromSeconds(45), "the returned loan leaving tonight's count");
        await LoanOrchestrationTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/b/return", null, HttpStatusCode.Accepted);
        var afterBoth = await CirculationHost.EventuallyAsync(() => PlannedAsync(client, libraryId).Result,
            p => p.GetProperty("at").GetDateTimeOffset() > before.GetProperty("at").GetDateTimeOffset(), TimeSpan.FromSeconds(45), "the next send time moving to loan c");

        // Assert: the wall-clock time is New York's, the same instant as the UTC one.
        Assert.Equal(2, before.GetProperty("scenarios").GetProperty("pre-overdue").GetInt32());
        Assert.Equal(2, before.GetProperty("total").GetInt32());
        Assert.Equal("America/New_York", before.GetProperty("timeZone").GetString());
        var at = before.GetProperty("at").GetDateTimeOffset();
        var local = DateTime.Parse(before.GetProperty("localTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).DateTime, local);
        Assert.Equal(1, afterOne.GetProperty("total").GetInt32());
        Assert.Equal(1, afterBoth.GetProperty("scenarios").GetProperty("pre-overdue").GetInt32());
    }

    private static PlannedStep Step(string step, DateTimeOffset at) => new(step, at, DateOnly.FromDateTime(at.UtcDateTime));

    private static async Task<JsonElement> PlannedAsync(HttpClient client, string libraryId)
    {
        using var response = await client.GetAsync($"/api/libraries/{libraryId}/dashboard?days=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("planned");
    }
}
