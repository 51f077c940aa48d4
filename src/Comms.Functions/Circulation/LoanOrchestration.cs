using Comms.Circulation;
using Comms.Functions.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Comms.Functions.Circulation;

/// <summary>
/// One orchestration per loan (instance id "loan:{libraryId}:{loanId}"). It waits on a durable timer for the
/// next ladder step, raced with the loan's renew / return / recall events. Sending a step and planning the
/// next is one activity, so a step costs one timer and one activity call.
/// </summary>
public static class LoanOrchestration
{
    public const string EventName = "LoanEvent";

    private static readonly TaskOptions Retry = ActivityRetry.Options;

    /// <summary>
    /// Turns of the loop one execution may take before it continues as new. A ladder has a handful of steps,
    /// so a loan normally never reaches it; it bounds the history of a loan that receives event after event
    /// (repeated recalls, say), which would otherwise grow with every replay.
    /// </summary>
    private const int MaxTurnsPerExecution = 50;

    [Function(nameof(LoanOrchestrator))]
    public static async Task<string> LoanOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context, LoanStart start)
    {
        var logger = context.CreateReplaySafeLogger(nameof(LoanOrchestrator));
        var track = start.Track;
        var next = start.Planned ? start.Next : await PlanAsync(context, track);

        // One outstanding event wait for the whole loop: the timer is what gets cancelled, never the event
        // wait, so an event can never be delivered to a waiter that was abandoned.
        Task<LoanEvent>? pendingEvent = null;
        for (var turn = 0; ; turn++)
        {
            if (turn == MaxTurnsPerExecution)
            {
                // Events not yet taken by the outstanding wait stay queued for the new execution.
                context.ContinueAsNew(new LoanStart(track, Planned: true, Next: next), preserveUnprocessedEvents: true);
                return "continued";
            }

            context.SetCustomStatus(LoanNoticeStatus.Active(track, next));
            pendingEvent ??= context.WaitForExternalEvent<LoanEvent>(EventName);
            if (next is not null)
            {
                using var timerCancellation = new CancellationTokenSource();
                var timer = context.CreateTimer(next.FireAt.UtcDateTime, timerCancellation.Token);
                if (await Task.WhenAny(pendingEvent, timer) == timer)
                {
                    (track, next) = await SendStepAsync(context, logger, track, next);
                    continue;
                }

                timerCancellation.Cancel();
            }

            var loanEvent = await pendingEvent;
            pendingEvent = null;
            switch (loanEvent.Kind)
            {
                case LoanEventKind.Return:
                    logger.LogInformation("Loan {LoanId} returned; its ladder ends", track.LoanId);
                    context.SetCustomStatus(LoanNoticeStatus.Returned(track));
                    await ClearPlanAsync(context, logger, track, next);
                    return "returned";

                case LoanEventKind.Lost:
                    logger.LogInformation("Loan {LoanId} declared lost; its ladder ends", track.LoanId);
                    context.SetCustomStatus(LoanNoticeStatus.Lost(track));
                    await ClearPlanAsync(context, logger, track, next);
                    return "lost";

                case LoanEventKind.Renew when loanEvent.DueAt is { } renewedDue:
                    logger.LogInformation("Loan {LoanId} renewed to {DueAt}", track.LoanId, renewedDue);
                    return Restart(context, track, renewedDue);

                case LoanEventKind.Recall:
                    logger.LogInformation("Loan {LoanId} recalled", track.LoanId);
                    await context.CallActivityAsync(nameof(CirculationActivities.SendRecallNotice), new RecallNotice(track, loanEvent.Reason, loanEvent.ReturnBy ?? loanEvent.DueAt, context.CurrentUtcDateTime), Retry);
                    if (loanEvent.DueAt is { } recalledDue)
                    {
                        return Restart(context, track, recalledDue);
                    }

                    break; // The loan was due sooner than the recall asks (or is overdue): its ladder carries on.

                case LoanEventKind.Replan:
                    // Steps whose time has passed stay behind (a reminder moved into the past is not sent late), but
                    // never the step being waited for if its timer is due already: the event may have won that race.
                    DateTimeOffset now = context.CurrentUtcDateTime;
                    var from = next is null || next.FireAt > now ? now : next.FireAt;
                    track = track with { NotBefore = from > track.NotBefore ? from : track.NotBefore };
                    next = await context.CallActivityAsync<PlannedStep?>(nameof(CirculationActivities.ReplanLoanStep), new ReplanInput(track, next), Retry);
                    logger.LogInformation("Loan {LoanId} re-planned: next {Step} at {FireAt}", track.LoanId, next?.Step, next?.FireAt);
                    break;
            }
        }
    }

    // A new due date is a new ladder: ContinueAsNew starts it with a fresh, short history.
    private static string Restart(TaskOrchestrationContext context, LoanTrack track, DateTimeOffset dueAt)
    {
        var renewed = track with { DueAt = dueAt, NotBefore = context.CurrentUtcDateTime, Sent = [], ShiftDays = 0 };
        context.ContinueAsNew(new LoanStart(renewed, Planned: false, Next: null), preserveUnprocessedEvents: true);
        return "continued";
    }

    private static async Task<(LoanTrack Track, PlannedStep? Next)> SendStepAsync(TaskOrchestrationContext context, ILogger logger, LoanTrack track, PlannedStep step)
    {
        try
        {
            var result = await context.CallActivityAsync<StepResult>(nameof(CirculationActivities.SendLoanStep), new StepInput(track, step), Retry);
            logger.LogInformation("Loan {LoanId}: {Step} {Outcome}", track.LoanId, step.Step, result.Outcome);
            return (track with { Sent = [.. track.Sent, new SentStep(step.Step, step.FireAt, result.Outcome)] }, result.Next);
        }
        catch (TaskFailedException e)
        {
            // After every retry: record the failure and keep the ladder going rather than silence the loan.
            logger.LogError("Loan {LoanId}: step {Step} failed: {Error}", track.LoanId, step.Step, e.FailureDetails.ErrorMessage);
            var failed = track with { Sent = [.. track.Sent, new SentStep(step.Step, step.FireAt, "failed")] };
            return (failed, await PlanAsync(context, failed));
        }
    }

    // The dashboard's count of tonight's notices must not keep an ended loan; failing to say so must not fail the loan.
    // A loan with no step planned is not in the index (planning nothing removed it), so it costs no activity.
    private static async Task ClearPlanAsync(TaskOrchestrationContext context, ILogger logger, LoanTrack track, PlannedStep? next)
    {
        if (next is null)
        {
            return;
        }

        try
        {
            await context.CallActivityAsync(nameof(CirculationActivities.ClearLoanPlan), track, Retry);
        }
        catch (TaskFailedException e)
        {
            logger.LogWarning("Loan {LoanId}: its planned step stays in the dashboard's index: {Error}", track.LoanId, e.FailureDetails.ErrorMessage);
        }
    }

    private static Task<PlannedStep?> PlanAsync(TaskOrchestrationContext context, LoanTrack track) =>
        context.CallActivityAsync<PlannedStep?>(nameof(CirculationActivities.PlanLoanStep), track, Retry);
}
