using Comms.Functions.Circulation;
using Comms.Functions.Durable;
using Comms.Functions.Http;
using Comms.Renewals;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Comms.Functions.Renewals;

/// <summary>The library system's automatic renewal results, in bulk.</summary>
public sealed class RenewalFunctions(RenewalService renewals, LibraryAccess access)
{
    [Function(nameof(PostRenewalResults))]
    public async Task<IActionResult> PostRenewalResults(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/renewal-results")] HttpRequest request,
        string libraryId,
        [DurableClient] DurableTaskClient client)
    {
        await access.AuthorizeAsync(request, libraryId);
        var cancellationToken = request.HttpContext.RequestAborted;
        var body = await RequestBody.ReadJsonAsync<RenewalResultsRequest>(request, cancellationToken: cancellationToken);
        var (moved, outcome) = await renewals.ApplyAsync(libraryId, body, cancellationToken);

        // Each renewed loan's ladder starts again from its new due date, as a renew call does.
        foreach (var loan in moved)
        {
            await LoanSignals.RaiseIfRunningAsync(client, libraryId, loan.LoanId, new LoanEvent(LoanEventKind.Renew, loan.DueAt), cancellationToken);
        }

        // Results are stored before the patron's digest is woken, so the round that wakes finds them.
        foreach (var patronId in outcome.Patrons)
        {
            await WakeDigestAsync(client, libraryId, patronId, cancellationToken);
        }

        return new AcceptedResult((string?)null, outcome);
    }

    /// <summary>
    /// Starts the patron's digest orchestration if it is not running, then raises the event. A start that races
    /// another post's start may be refused or dropped; the event still reaches the one that runs, and a round
    /// always reads every stored result, so nothing waits for a later post.
    /// </summary>
    private static async Task WakeDigestAsync(DurableTaskClient client, string libraryId, string patronId, CancellationToken cancellationToken)
    {
        var instanceId = RenewalDigestOrchestration.InstanceId(libraryId, patronId);
        var found = await client.GetInstanceAsync(instanceId, cancellationToken);
        if (found is { IsRunning: true } or { RuntimeStatus: OrchestrationRuntimeStatus.Pending })
        {
            // Already there: raise on what was just read, without reading it again.
            await InstanceEvents.RaiseAsync(client, found, RenewalDigestOrchestration.EventName, true, cancellationToken);
            return;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(RenewalDigestOrchestration.RenewalDigestOrchestrator),
                new RenewalDigestState(libraryId, patronId, null),
                new StartOrchestrationOptions(instanceId),
                cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or Grpc.Core.RpcException)
        {
            // Another post started it between the read and the start: raising the event below is all that is left.
        }

        // Just started (here or by another post): the event waits for the start rather than being lost.
        await InstanceEvents.RaiseAsync(client, instanceId, RenewalDigestOrchestration.EventName, true, cancellationToken);
    }
}
