using System.Net;
using Comms.Circulation;
using Comms.DevHost.Durable;
using Comms.Delivery;
using Comms.EmailLog;
using Comms.Functions.Circulation;
using Comms.Sms;
using Comms.Tests.Infrastructure;
using Comms.Tests.Reservations;
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Sms;

/// <summary>
/// A recall posted before the engine has processed its loan's start. On the Azure Storage backend the start message is
/// queued before the instance row is written, and a reader that finds the message first defers it for 2 s; the recall's
/// event, raised meanwhile to the Pending instance, was then read alone, found no history and was deleted ("No such
/// instance"), so the recall was never sent (SmsDeliveryReportTests timed out waiting for its text, once in ten runs
/// under load). Here the start message is queued invisible for a few seconds on purpose, straight through the backend
/// (a scheduled start, which the gRPC sidecar's own start call does not pass on): the same Pending instance with a start
/// not yet readable, so the event always arrives first.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class RecallBeforeStartTests(EmulatorFixture emulators)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Recall_PostedWhileTheLoansStartIsStillQueued_IsSentNotLost()
    {
        var host = await SmsHost.GetAsync(emulators);
        var services = host.App.Services;
        var libraryId = "smsb" + Guid.NewGuid().ToString("N")[..10];
        var library = Samples.Library(libraryId) with { TimeZone = "UTC", SmsQuietHours = new QuietHours { Start = TimeOnly.MinValue, End = TimeOnly.MinValue } };
        using var client = await host.CreateLibraryAsync(library, SmsHost.PatronWithoutEmail("p1", SmsHost.NewNumber()));

        // The loan stored and its orchestration queued as POST /loans does, but with its start message unreadable for 5 s.
        var loan = Assert.Single(await services.GetRequiredService<LoanService>().IssueAsync(libraryId, new IssueLoansRequest
        {
            LoanId = "l1", PatronId = "p1", Title = "Emma", DueAt = DateTimeOffset.UtcNow.AddDays(30),
        })).Loan;
        var (track, next) = await services.GetRequiredService<LoanStepPlanner>().PlanStartAsync(loan, loan.IssuedAt);
        var instance = new OrchestrationInstance { InstanceId = LoanInstanceIds.For(libraryId, "l1"), ExecutionId = Guid.NewGuid().ToString("N") };
        var backend = new AzureStorageOrchestrationService(services.GetRequiredService<DurableSidecar>().Settings());
        await backend.CreateTaskOrchestrationAsync(new TaskMessage
        {
            OrchestrationInstance = instance,
            Event = new ExecutionStartedEvent(-1, JsonDataConverter.Default.Serialize(new LoanStart(track, Planned: true, next)))
            {
                // As the sidecar's own start call fills them: the instance query cannot read nulls here.
                Name = nameof(LoanOrchestration.LoanOrchestrator),
                Version = string.Empty,
                Tags = new Dictionary<string, string>(),
                OrchestrationInstance = instance,
                ScheduledStartTime = DateTime.UtcNow.AddSeconds(5),
            },
        });
        var durable = services.GetRequiredService<DurableTaskClient>();
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await durable.GetInstanceAsync(instance.InstanceId))!.RuntimeStatus);

        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/recall", new { reason = "Requested by another reader" }, HttpStatusCode.Accepted);
        var log = await EndToEndHost.EventuallyAsync(() => host.LogAsync(libraryId),
            l => l.Any(e => e.Channel == NoticeChannel.Sms && e.Status == EmailStatus.Sent), Wait, "the recall's Sent SMS row");

        Assert.Single(log, e => e.Channel == NoticeChannel.Sms && e.Status == EmailStatus.Sent);
    }
}
