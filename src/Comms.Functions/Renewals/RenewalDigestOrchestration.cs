using Comms.Functions.Durable;
using Comms.Notices;
using Comms.Renewals;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Comms.Functions.Renewals;

/// <summary>The digest orchestration's input: whose results, and when the patron's last digest went (one a day).</summary>
public sealed record RenewalDigestState(string LibraryId, string PatronId, DateTimeOffset? LastFireAt);

/// <summary>The custom status: "waiting" for results, or "scheduled" with the next digest's time.</summary>
public sealed record RenewalDigestStatus(string State, DateTimeOffset? NextAt, DateTimeOffset? LastSentAt);

/// <summary>
/// One long-lived orchestration per patron with auto-renewal results (instance id "renewals:{libraryId}:{patronId}").
/// Idle, it waits for the "RenewalResults" event the HTTP call raises after storing results; then it sleeps on a
/// durable timer until the library's next send time and sends one digest of everything stored by then. Results
/// that arrive while it sleeps or sends are simply in the table: their events stay queued (ContinueAsNew keeps
/// them) and wake the next round, whose digest goes on a later day. So no result is lost or sent twice without a
/// collection window, and an idle patron costs one instance row and no timers.
/// </summary>
public static class RenewalDigestOrchestration
{
    public const string EventName = "RenewalResults";

    private static readonly TaskOptions Retry = ActivityRetry.Options;

    public static string InstanceId(string libraryId, string patronId) => $"renewals:{libraryId}:{patronId}";

    [Function(nameof(RenewalDigestOrchestrator))]
    public static async Task<string> RenewalDigestOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context, RenewalDigestState state)
    {
        var plan = await context.CallActivityAsync<RenewalDigestPlan?>(nameof(RenewalDigestActivities.PlanRenewalDigest), state, Retry);
        if (plan is null)
        {
            // Nothing waits: sleep until the next post says results arrived (it raises the event after storing them).
            context.SetCustomStatus(new RenewalDigestStatus("waiting", null, state.LastFireAt));
            await context.WaitForExternalEvent<bool>(EventName);
            context.ContinueAsNew(state, preserveUnprocessedEvents: true);
            return "woken";
        }

        context.SetCustomStatus(new RenewalDigestStatus("scheduled", plan.FireAt, state.LastFireAt));
        await context.CreateTimer(plan.FireAt.UtcDateTime, CancellationToken.None);
        try
        {
            await context.CallActivityAsync<NoticeDispatchResult>(nameof(RenewalDigestActivities.SendRenewalDigest), new RenewalDigestInput(state, plan), Retry);
        }
        catch (TaskFailedException)
        {
            // After every retry the results stay pending; the next round (the next day) lists them again.
        }

        context.ContinueAsNew(state with { LastFireAt = plan.FireAt }, preserveUnprocessedEvents: true);
        return "sent";
    }
}

public sealed record RenewalDigestInput(RenewalDigestState State, RenewalDigestPlan Plan);

/// <summary>The digest's I/O: planning from fresh settings and stored results, and sending.</summary>
public sealed class RenewalDigestActivities(RenewalDigests digests)
{
    [Function(nameof(PlanRenewalDigest))]
    public Task<RenewalDigestPlan?> PlanRenewalDigest([ActivityTrigger] RenewalDigestState state) =>
        digests.PlanAsync(state.LibraryId, state.PatronId, state.LastFireAt);

    [Function(nameof(SendRenewalDigest))]
    public Task<NoticeDispatchResult> SendRenewalDigest([ActivityTrigger] RenewalDigestInput input) =>
        digests.SendAsync(input.State.LibraryId, input.State.PatronId, input.Plan);
}
