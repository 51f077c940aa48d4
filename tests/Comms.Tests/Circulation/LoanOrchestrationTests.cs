using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Comms.Circulation;
using Comms.DevHost.Durable;
using Comms.Libraries;
using Comms.Security;
using DurableTask.AzureStorage;
using DurableTask.Core.History;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Comms.Tests.Circulation;

/// <summary>Loans through their ladders on the real durable engine, one ladder day = one second.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class LoanOrchestrationTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    // Pre-overdue 2 days before due, overdue 1 day after, escalations 2 and 3 days after.
    private static readonly NoticeTiming Ladder = new() { PreOverdueDaysBefore = 2, OverdueGraceDays = 1, EscalationDaysAfterDue = [2, 3] };

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private static DateTimeOffset InDays(double days) => DateTimeOffset.UtcNow + (CirculationHost.DayLength * days);

    [Fact]
    public async Task Loan_FullLadder_SendsEveryStepOnceWithinTheDurableBudget()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = NewId("lib");
        using var client = await host.CreateLibraryAsync(libraryId, Ladder);

        await IssueAsync(client, libraryId, new { loanId = "loan-1", patronId = "p1", title = "Dune", dueAt = InDays(3) });
        var sent = await CirculationHost.EventuallyAsync(() => host.LadderNotices(libraryId), r => r.Count >= 4, Wait, "four ladder steps");
        var status = await CirculationHost.EventuallyAsync(() => GetAsync(client, libraryId, "loan-1").Result, s => s.TryGetProperty("notices", out var n) && n.GetProperty("sent").GetArrayLength() == 4, Wait, "status with 4 steps");

        Assert.Equal(["pre-overdue", "overdue", "escalation-1", "escalation-2"], sent.Select(r => r.Scenario.ToString()));
        Assert.All(sent, r => Assert.Equal("loan-1", Assert.Single(r.Loans).LoanId));
        Assert.False(Notices(status).TryGetProperty("nextStep", out _));

        await PostAsync(client, $"/api/libraries/{libraryId}/loans/loan-1/return", null, HttpStatusCode.Accepted);
        await CirculationHost.EventuallyAsync(() => GetAsync(client, libraryId, "loan-1").Result, s => s.GetProperty("runtimeStatus").GetString() == "Completed", Wait, "completion");
        var history = await host.HistoryAsync("loan:" + libraryId + ":loan-1");
        var total = history.Values.Sum();
        output.WriteLine($"History per loan through 4 steps + return: {total} events; " + string.Join(", ", history.OrderBy(h => h.Key).Select(h => $"{h.Key}={h.Value}")));
        Assert.True(history.GetValueOrDefault("TimerCreated") <= 4, "at most one timer per step");
        Assert.True(history.GetValueOrDefault("TaskScheduled") <= 8, "at most two activity calls per step");
        Assert.True(total <= 40, $"{total} history events");
    }

    [Theory]
    [InlineData(0, 0, 1, 0, 0, "skipped")]
    [InlineData(0, 1, 0, 0, 0, "suppressed")]
    [InlineData(0, 0, 0, 1, 0, "failed")]
    [InlineData(1, 0, 1, 0, 0, "sent")]
    public async Task Step_StatusOutcome_IsWhatTheDispatcherLogged(int sent, int suppressed, int skipped, int failed, int noContact, string expected)
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = NewId("lib");
        using var client = await host.CreateLibraryAsync(libraryId, Ladder);
        host.Notices.Answers[libraryId] = new Comms.Notices.NoticeDispatchResult(sent, suppressed, skipped, failed, noContact);

        await IssueAsync(client, libraryId, new { loanId = "loan-o", patronId = "p1", title = "Dune", dueAt = InDays(3) });
        var status = await CirculationHost.EventuallyAsync(() => GetAsync(client, libraryId, "loan-o").Result, s => s.TryGetProperty("notices", out var n) && n.GetProperty("sent").GetArrayLength() >= 1, Wait, "the first step");

        var step = Notices(status).GetProperty("sent")[0];
        Assert.Equal("pre-overdue", step.GetProperty("step").GetString());
        Assert.Equal(expected, step.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Return_MidLadder_StopsItAndLaterEventsConflict()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = NewId("lib");
        using var client = await host.CreateLibraryAsync(libraryId, Ladder);

        await IssueAsync(client, libraryId, new { loanId = "loan-r", patronId = "p1", title = "Emma", dueAt = InDays(3) });
        await CirculationHost.EventuallyAsync(() => host.LadderNotices(libraryId), r => r.Count >= 1, Wait, "pre-overdue");
        await PostAsync(client, $"/api/libraries/{libraryId}/loans/loan-r/return", null, HttpStatusCode.Accepted);
        await Task.Delay(CirculationHost.DayLength * 5);

        Assert.Equal(["pre-overdue"], host.LadderNotices(libraryId).Select(r => r.Scenario.ToString()));
        var renew = await PostAsync(client, $"/api/libraries/{libraryId}/loans/loan-r/renew", new { dueAt = InDays(10) }, HttpStatusCode.Conflict);
        Assert.Contains("was returned", renew.GetProperty("detail").GetString());
        await PostAsync(client, $"/api/libraries/{libraryId}/loans/loan-r/recall", null, HttpStatusCode.Conflict);
        var status = await GetAsync(client, libraryId, "loan-r");
        Assert.Equal("returned", status.GetProperty("loan").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Renew_BeforeTheFirstStep_MovesTheLadder()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = NewId("lib");
        using var client = await host.CreateLibraryAsync(libraryId, Ladder);

        await IssueAsync(client, libraryId, new { loanId = "loan-n", patronId = "p1", title = "Ulysses", dueAt = InDays(6) });
        var newDue = InDays(20);
        await PostAsync(client, $"/api/libraries/{libraryId}/loans/loan-n/renew", new { dueAt = newDue }, HttpStatusCode.Accepted);
        var status = await CirculationHost.EventuallyAsync(() => GetAsync(client, libraryId, "loan-n").Result,
            s => s.TryGetProperty("notices", out var n) && n.GetProperty("dueAt").GetDateTimeOffset() == newDue.ToUniversalTime(), Wait, "renewed ladder");
        await Task.Delay(CirculationHost.DayLength * 5);

        Assert.True(host.LadderNotices(libraryId).Count == 0, string.Join("; ", host.LadderNotices(libraryId).Select(r => $"{r.Scenario} {r.Loans[0].DueAt:O}")) + " / " + status);
        Assert.Equal("pre-overdue", Notices(status).GetProperty("nextStep").GetString());
        Assert.Equal(newDue - (CirculationHost.DayLength * 2), Notices(status).GetProperty("nextAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        await PostAsync(client, $"/api/libraries/{libraryId}/loans/loan-n/return", null, HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Recall_SendsAtOnceThenFollowsTheNewDueDate()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = NewId("lib");
        using var client = await host.CreateLibraryAsync(libraryId, Ladder);

        var originalDue = InDays(30);
        await IssueAsync(client, libraryId, new { loanId = "loan-c", patronId = "p1", title = "Middlemarch", dueAt = originalDue });
        var newDue = InDays(4);
        await PostAsync(client, $"/api/libraries/{libraryId}/loans/loan-c/recall", new { newDueAt = newDue, reason = "Requested by another reader" }, HttpStatusCode.Accepted);
        var recall = await CirculationHost.EventuallyAsync(() => host.LadderNotices(libraryId), r => r.Count >= 1, TimeSpan.FromSeconds(10), "recall notice");
        var later = await CirculationHost.EventuallyAsync(() => host.LadderNotices(libraryId), r => r.Count >= 3, Wait, "ladder after the recall");

        Assert.Equal("recall", recall[0].Scenario.ToString());
        Assert.Equal("Requested by another reader", recall[0].Recall!.Reason);
        Assert.Equal(newDue.ToUniversalTime(), recall[0].Recall!.NewDueAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(originalDue.ToUniversalTime(), recall[0].Loans[0].DueAt, TimeSpan.FromMilliseconds(1)); // "originally due"
        Assert.Equal(["recall", "pre-overdue", "overdue"], later.Take(3).Select(r => r.Scenario.ToString()));
        Assert.Equal(newDue.ToUniversalTime(), later[1].Loans[0].DueAt, TimeSpan.FromMilliseconds(1));
        await PostAsync(client, $"/api/libraries/{libraryId}/loans/loan-c/return", null, HttpStatusCode.Accepted);
    }

    /// <summary>
    /// A recall without a date asks for the item back within the library's recall period: the notice carries the
    /// reason, that date and the date the loan was due before, and the ladder follows the new due date.
    /// </summary>
    [Fact]
    public async Task Recall_WithoutNewDueDate_AsksBackWithinTheLibrarysRecallPeriodAndMovesTheLadder()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = NewId("lib");
        using var client = await host.CreateLibraryAsync(libraryId, Ladder with { EscalationDaysAfterDue = [], RecallReturnDays = 4 });
        var originalDue = InDays(30);
        await IssueAsync(client, libraryId, new { loanId = "loan-d", patronId = "p1", title = "Bleak House", dueAt = originalDue });

        var before = DateTimeOffset.UtcNow;
        await PostAsync(client, $"/api/libraries/{libraryId}/loans/loan-d/recall", new { reason = "Needed for a class" }, HttpStatusCode.Accepted);
        var after = DateTimeOffset.UtcNow;
        var sent = await CirculationHost.EventuallyAsync(() => host.LadderNotices(libraryId), r => r.Count >= 3, Wait, "recall, pre-overdue and overdue");
        var loan = await GetAsync(client, libraryId, "loan-d");

        Assert.Equal(["recall", "pre-overdue", "overdue"], sent.Select(r => r.Scenario.ToString()));
        var recall = sent[0].Recall!;
        Assert.Equal("Needed for a class", recall.Reason);
        Assert.NotNull(recall.NewDueAt);
        Assert.InRange(recall.NewDueAt.Value, before + (CirculationHost.DayLength * 4), after + (CirculationHost.DayLength * 4));
        Assert.Equal(originalDue.ToUniversalTime(), sent[0].Loans[0].DueAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal(recall.NewDueAt.Value, loan.GetProperty("loan").GetProperty("dueAt").GetDateTimeOffset());
        Assert.All(sent.Skip(1), r => Assert.Equal(recall.NewDueAt.Value, r.Loans[0].DueAt));
        await PostAsync(client, $"/api/libraries/{libraryId}/loans/loan-d/return", null, HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task CheckoutSession_ThreeLoansDueTogether_OneRequestPerStepListingAllThree()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = NewId("lib");
        using var client = await host.CreateLibraryAsync(libraryId, Ladder with { EscalationDaysAfterDue = [] });
        // Generous slack before the first step: on a loaded machine the second POST can land seconds later,
        // and a step already past when a loan arrives is (rightly) skipped.
        var due = InDays(10);

        await IssueAsync(client, libraryId, new
        {
            patronId = "family",
            loans = new[]
            {
                new { loanId = "b1", title = "Book one", dueAt = due },
                new { loanId = "b2", title = "Book two", dueAt = due },
                new { loanId = "b3", title = "Book three", dueAt = due },
            },
        });
        await IssueAsync(client, libraryId, new { loanId = "other", patronId = "neighbour", title = "Book four", dueAt = due });
        await CirculationHost.EventuallyAsync(() => host.LadderNotices(libraryId), r => r.Count(x => x.Scenario.ToString() == "overdue") >= 2, Wait, "overdue notices");
        await Task.Delay(CirculationHost.DayLength * 2);
        var family = host.LadderNotices(libraryId).Where(r => r.PatronId == "family").ToList();

        Assert.Equal(["pre-overdue", "overdue"], family.Select(r => r.Scenario.ToString()));
        Assert.All(family, r => Assert.Equal(["b1", "b2", "b3"], r.Loans.Select(l => l.LoanId).Order()));
        Assert.True(2 == host.LadderNotices(libraryId).Count(r => r.PatronId == "neighbour"), string.Join("; ", host.Notices.For(libraryId).Select(r => $"{r.PatronId} {r.Scenario} {r.SubjectRecordId} {string.Join(",", r.Loans.Select(l => l.LoanId))}")) + " / " + await GetAsync(client, libraryId, "other"));
    }

    [Fact]
    public async Task SameLoanPostedTwice_StartsNothingNew()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = NewId("lib");
        using var client = await host.CreateLibraryAsync(libraryId, Ladder with { EscalationDaysAfterDue = [] });
        var loan = new { loanId = "twice", patronId = "p1", title = "Persuasion", dueAt = InDays(3) };

        var first = await IssueAsync(client, libraryId, loan);
        var second = await PostAsync(client, $"/api/libraries/{libraryId}/loans", loan, HttpStatusCode.OK);
        await CirculationHost.EventuallyAsync(() => host.LadderNotices(libraryId), r => r.Count >= 2, Wait, "both steps");
        await Task.Delay(CirculationHost.DayLength * 2);

        Assert.True(first.GetProperty("loans")[0].GetProperty("created").GetBoolean());
        Assert.False(second.GetProperty("loans")[0].GetProperty("created").GetBoolean());
        Assert.Equal(["pre-overdue", "overdue"], host.LadderNotices(libraryId).Select(r => r.Scenario.ToString()));
    }

    /// <summary>
    /// The process died after storing the loan and before starting its orchestration; the library system's
    /// retry comes after the start grace and after the first step fell due. The retry starts the ladder, and
    /// that step is sent late rather than skipped: the loan arrived when it was stored, not when the retry came.
    /// </summary>
    [Fact]
    public async Task RetryAfterCrashBetweenStoreAndStart_StartsTheLadderFromWhenTheLoanWasStored()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = NewId("lib");
        using var client = await host.CreateLibraryAsync(libraryId, Ladder with { EscalationDaysAfterDue = [] });
        var issuedAt = DateTimeOffset.UtcNow - CirculationHost.StartGrace - CirculationHost.DayLength;
        var dueAt = InDays(1.5); // Pre-overdue fell due half a day ago: after the loan was stored, before the retry.
        await StoreWithoutStartingAsync(host, new Loan { LibraryId = libraryId, LoanId = "crashed", PatronId = "p1", Title = "Middlemarch", DueAt = dueAt, IssuedAt = issuedAt });

        var retry = await PostAsync(client, $"/api/libraries/{libraryId}/loans", new { loanId = "crashed", patronId = "p1", title = "Middlemarch", dueAt }, HttpStatusCode.OK);
        var sent = await CirculationHost.EventuallyAsync(() => host.LadderNotices(libraryId), r => r.Count >= 2, Wait, "both steps");

        Assert.False(retry.GetProperty("loans")[0].GetProperty("created").GetBoolean());
        Assert.Equal(["pre-overdue", "overdue"], sent.Select(r => r.Scenario.ToString()));
        await PostAsync(client, $"/api/libraries/{libraryId}/loans/crashed/return", null, HttpStatusCode.Accepted);
    }

    /// <summary>
    /// A repeat that comes while the first post's start may still be queued answers 503 with Retry-After and
    /// starts nothing: two starts of one instance would leave the engine two ExecutionStarted events.
    /// </summary>
    [Fact]
    public async Task RetryWithinStartGrace_Answers503AndStartsNothing()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = NewId("lib");
        using var client = await host.CreateLibraryAsync(libraryId, Ladder);
        var dueAt = InDays(5);
        await StoreWithoutStartingAsync(host, new Loan { LibraryId = libraryId, LoanId = "pending", PatronId = "p1", Title = "Cranford", DueAt = dueAt, IssuedAt = DateTimeOffset.UtcNow });

        using var response = await client.PostAsJsonAsync($"/api/libraries/{libraryId}/loans", new { loanId = "pending", patronId = "p1", title = "Cranford", dueAt });
        var loan = await GetAsync(client, libraryId, "pending");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        Assert.False(loan.TryGetProperty("runtimeStatus", out _), "no orchestration was started");
        Assert.Empty(host.LadderNotices(libraryId));
    }

    /// <summary>
    /// Two start messages for one loan's instance in the control queue before any worker runs, in the three shapes a
    /// crash can leave: the same start delivered again (queue messages are at-least-once: a kill after the first
    /// episode was checkpointed and before the start message was deleted), a start queued without its instance row
    /// (a post killed between the backend's two writes) followed by the retry's start, and two complete starts.
    /// Each loan must end with one working ladder: its steps sent once, one ExecutionStarted event, and a return
    /// that completes it. Before the dev host dropped duplicate starts as the Functions host does, the first shape
    /// left an instance the engine refused to run ("Multiple ExecutionStartedEvent found").
    /// </summary>
    [Fact]
    public async Task TwoStartsQueuedBeforeTheWorkerRuns_OneWorkingLadderPerLoan()
    {
        var shared = await CirculationHost.GetAsync(emulators);
        var libraryId = NewId("lib");
        using var sharedClient = await shared.CreateLibraryAsync(libraryId, Ladder with { EscalationDaysAfterDue = [] });
        var taskHub = "T" + Guid.NewGuid().ToString("N")[..12];
        var settings = shared.App.Services.GetRequiredService<DurableSidecar>().Settings();
        settings.TaskHubName = taskHub;
        var service = new AzureStorageOrchestrationService(settings);
        await service.CreateIfNotExistsAsync();
        string[] loanIds = ["redelivered", "orphaned", "restarted"];
        for (var i = 0; i < loanIds.Length; i++)
        {
            var loan = new Loan { LibraryId = libraryId, LoanId = loanIds[i], PatronId = CirculationHost.PatronIds[i], Title = "Kim", DueAt = InDays(6 + i), IssuedAt = DateTimeOffset.UtcNow };
            await StoreWithoutStartingAsync(shared, loan);
            var first = await StartMessageAsync(shared, loan);
            switch (loan.LoanId)
            {
                case "redelivered":
                    await service.CreateTaskOrchestrationAsync(first);
                    await service.SendTaskOrchestrationMessageAsync(first);
                    break;
                case "orphaned":
                    ((ExecutionStartedEvent)first.Event).Generation = 0; // As CreateTaskOrchestrationAsync sets it before queuing.
                    await service.SendTaskOrchestrationMessageAsync(first);
                    await service.CreateTaskOrchestrationAsync(await StartMessageAsync(shared, loan));
                    break;
                default:
                    await service.CreateTaskOrchestrationAsync(first);
                    await service.CreateTaskOrchestrationAsync(await StartMessageAsync(shared, loan));
                    break;
            }
        }

        var host = await CirculationHost.StartOwnAsync(emulators, taskHub, sameTablesAs: shared);
        try
        {
            using var client = new HttpClient { BaseAddress = host.Http.BaseAddress, Timeout = host.Http.Timeout };
            client.DefaultRequestHeaders.Add(LibraryAccess.LibraryKeyHeader, sharedClient.DefaultRequestHeaders.GetValues(LibraryAccess.LibraryKeyHeader));
            IEnumerable<string> StepsOf(string loanId) => host.LadderNotices(libraryId).Where(r => r.Loans.Any(l => l.LoanId == loanId)).Select(r => r.Scenario.ToString());
            try
            {
                await CirculationHost.EventuallyAsync(() => loanIds.Select(StepsOf).ToList(), steps => steps.All(s => s.Count() >= 2), Wait, "two steps of every loan");
            }
            finally
            {
                foreach (var error in host.LoggedErrors)
                {
                    output.WriteLine($"logged: {error}");
                }

                foreach (var loanId in loanIds)
                {
                    output.WriteLine($"{loanId}: steps [{string.Join(", ", StepsOf(loanId))}]; history {string.Join(", ", (await host.HistoryAsync(LoanInstanceIds.For(libraryId, loanId))).OrderBy(h => h.Key).Select(h => $"{h.Key}={h.Value}"))}");
                }
            }

            foreach (var loanId in loanIds)
            {
                await PostAsync(client, $"/api/libraries/{libraryId}/loans/{loanId}/return", null, HttpStatusCode.Accepted);
            }

            foreach (var loanId in loanIds)
            {
                var status = await CirculationHost.EventuallyAsync(() => GetAsync(client, libraryId, loanId).Result, s => s.GetProperty("runtimeStatus").GetString() == "Completed", Wait, $"the return to end {loanId}'s ladder");
                Assert.Equal(["pre-overdue", "overdue"], StepsOf(loanId));
                Assert.Equal("returned", Notices(status).GetProperty("state").GetString());
                Assert.Equal(1, (await host.HistoryAsync(LoanInstanceIds.For(libraryId, loanId))).GetValueOrDefault("ExecutionStarted"));
            }

            // The engine never refused a work item of these loans (a refused one is abandoned with every message in it).
            Assert.Empty(host.LoggedErrors);
        }
        finally
        {
            await host.App.StopAsync();
        }
    }

    /// <summary>The start message a post queues for the loan: a fresh execution id, the planned ladder as input.</summary>
    private static async Task<DurableTask.Core.TaskMessage> StartMessageAsync(CirculationHost host, Loan loan)
    {
        var instance = new DurableTask.Core.OrchestrationInstance { InstanceId = LoanInstanceIds.For(loan.LibraryId, loan.LoanId), ExecutionId = Guid.NewGuid().ToString("N") };
        var (track, next) = await host.App.Services.GetRequiredService<LoanStepPlanner>().PlanStartAsync(loan, loan.IssuedAt);
        var input = Microsoft.DurableTask.Converters.JsonDataConverter.Default.Serialize(new Comms.Functions.Circulation.LoanStart(track, Planned: true, next));
        return new DurableTask.Core.TaskMessage
        {
            OrchestrationInstance = instance,
            Event = new ExecutionStartedEvent(-1, input)
            {
                Name = nameof(Comms.Functions.Circulation.LoanOrchestration.LoanOrchestrator),
                OrchestrationInstance = instance,
            },
        };
    }

    private static async Task StoreWithoutStartingAsync(CirculationHost host, Loan loan) =>
        Assert.True(await host.App.Services.GetRequiredService<LoanStore>().TryInsertAsync(loan));

    /// <summary>
    /// A loan posted already overdue (its overdue notice's date has passed, with no history from the previous
    /// system) gets the overdue notice at the next send time, and the escalations keep their spacing after it.
    /// </summary>
    [Fact]
    public async Task LoanArrivingOverdue_SendsTheOverdueNoticeAtTheNextSendTimeThenTheRest()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = NewId("lib");
        using var client = await host.CreateLibraryAsync(libraryId, Ladder);

        await IssueAsync(client, libraryId, new { loanId = "late", patronId = "p1", title = "Walden", dueAt = InDays(-1.5) });
        var sent = await CirculationHost.EventuallyAsync(() => host.LadderNotices(libraryId), r => r.Count >= 3, Wait, "overdue and escalations");

        Assert.Equal(["overdue", "escalation-1", "escalation-2"], sent.Select(r => r.Scenario.ToString()));
        await PostAsync(client, $"/api/libraries/{libraryId}/loans/late/return", null, HttpStatusCode.Accepted);
    }

    /// <summary>
    /// A library going live imports a loan long overdue whose old system had sent up to the overdue notice:
    /// every step's date has passed, yet the ladder carries on from escalation-1 at the next send time, then the
    /// later levels as far apart as the library's timing puts them.
    /// </summary>
    [Fact]
    public async Task ImportedLoan_WithLastNoticeSent_ContinuesFromTheNextLevel()
    {
        var host = await CirculationHost.GetAsync(emulators);
        var libraryId = NewId("lib");
        using var client = await host.CreateLibraryAsync(libraryId, Ladder with { EscalationDaysAfterDue = [2, 3, 5] });

        await IssueAsync(client, libraryId, new { loanId = "old", patronId = "p1", title = "Kidnapped", dueAt = InDays(-20), lastNoticeSent = "overdue" });
        var sent = await CirculationHost.EventuallyAsync(() => host.LadderNotices(libraryId), r => r.Count >= 3, Wait, "three escalations");
        var status = await CirculationHost.EventuallyAsync(() => GetAsync(client, libraryId, "old").Result, s => s.TryGetProperty("notices", out var n) && n.GetProperty("sent").GetArrayLength() == 5, Wait, "status with 5 steps");

        Assert.Equal(["escalation-1", "escalation-2", "escalation-3"], sent.Select(r => r.Scenario.ToString()));
        var steps = Notices(status).GetProperty("sent").EnumerateArray().ToList();
        Assert.Equal(["pre-overdue", "overdue", "escalation-1", "escalation-2", "escalation-3"], steps.Select(s => s.GetProperty("step").GetString()));
        Assert.Equal(["imported", "imported", "sent", "sent", "sent"], steps.Select(s => s.GetProperty("outcome").GetString()));
        var fired = steps.Skip(2).Select(s => s.GetProperty("fireAt").GetDateTimeOffset()).ToList();
        Assert.Equal(CirculationHost.DayLength, fired[1] - fired[0]);
        Assert.Equal(CirculationHost.DayLength * 2, fired[2] - fired[1]);
        await PostAsync(client, $"/api/libraries/{libraryId}/loans/old/return", null, HttpStatusCode.Accepted);
    }

    private static JsonElement Notices(JsonElement loanView) => loanView.GetProperty("notices");

    private static async Task<JsonElement> IssueAsync(HttpClient client, string libraryId, object body) =>
        await PostAsync(client, $"/api/libraries/{libraryId}/loans", body, HttpStatusCode.Created);

    internal static Task<JsonElement> GetLoanAsync(HttpClient client, string libraryId, string loanId) => GetAsync(client, libraryId, loanId);

    private static async Task<JsonElement> GetAsync(HttpClient client, string libraryId, string loanId)
    {
        using var response = await client.GetAsync($"/api/libraries/{libraryId}/loans/{loanId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    internal static async Task<JsonElement> PostAsync(HttpClient client, string path, object? body, HttpStatusCode expected)
    {
        using var response = body is null ? await client.PostAsync(path, null) : await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{path}: expected {expected}, got {response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
