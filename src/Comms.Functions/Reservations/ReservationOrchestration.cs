using Comms.Functions.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Comms.Functions.Reservations;

/// <summary>
/// One orchestration per ready reservation (instance id "reservation:{libraryId}:{reservationId}"): send the
/// ready notice, wait for the expiring reminder's time, then for pickup-by, each raced with a collected or
/// cancelled event. Expiry itself is decided on the reservation row (compare-and-swap), so an event that
/// reaches the row first wins even if the timer fires before the event reaches the orchestration.
/// </summary>
public static class ReservationOrchestration
{
    public const string EventName = "ReservationEvent";

    private static readonly TaskOptions Retry = ActivityRetry.Options;

    [Function(nameof(ReservationOrchestrator))]
    public static async Task<string> ReservationOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context, ReservationTrack track)
    {
        var logger = context.CreateReplaySafeLogger(nameof(ReservationOrchestrator));
        var sent = new List<string>();
        var ready = await context.CallActivityAsync<ReadyResult>(nameof(ReservationActivities.SendReservationReady), track, Retry);
        if (!ready.Sent)
        {
            // Collected or cancelled before the orchestration ran: its event may still be queued, but there is nothing to do.
            return Final(context, track, "closed", sent);
        }

        sent.Add("reservation-ready");
        var expiring = ready.Expiring;

        // One event wait for the whole life: only timers are cancelled, so an event is never lost to an abandoned waiter.
        var pendingEvent = context.WaitForExternalEvent<ReservationEvent>(EventName);
        if (expiring is not null)
        {
            context.SetCustomStatus(new ReservationNoticeStatus("ready", track.PickupBy, expiring.Step, expiring.FireAt, sent));
            if (!await TimerWinsAsync(context, expiring.FireAt, pendingEvent))
            {
                return Closed(context, logger, track, await pendingEvent, sent);
            }

            if (!await context.CallActivityAsync<bool>(nameof(ReservationActivities.SendReservationExpiring), new ReminderInput(track, expiring), Retry))
            {
                // Collected or cancelled on the row, but the event has not arrived yet: nothing more to send.
                return Final(context, track, "closed", sent);
            }

            sent.Add(expiring.Step);
        }

        context.SetCustomStatus(new ReservationNoticeStatus("ready", track.PickupBy, "reservation-expired", track.PickupBy, sent));
        if (!await TimerWinsAsync(context, track.PickupBy, pendingEvent))
        {
            return Closed(context, logger, track, await pendingEvent, sent);
        }

        var expired = await context.CallActivityAsync<bool>(nameof(ReservationActivities.ExpireReservation), track, Retry);
        if (expired)
        {
            sent.Add("reservation-expired");
        }

        logger.LogInformation("Reservation {ReservationId}: pickup-by passed, {Outcome}", track.ReservationId, expired ? "expired" : "already closed");
        return Final(context, track, expired ? "expired" : "closed", sent);
    }

    private static async Task<bool> TimerWinsAsync(TaskOrchestrationContext context, DateTimeOffset fireAt, Task<ReservationEvent> pendingEvent)
    {
        using var cancellation = new CancellationTokenSource();
        var timer = context.CreateTimer(fireAt.UtcDateTime, cancellation.Token);
        if (await Task.WhenAny(pendingEvent, timer) == timer)
        {
            return true;
        }

        cancellation.Cancel();
        return false;
    }

    private static string Closed(TaskOrchestrationContext context, ILogger logger, ReservationTrack track, ReservationEvent reservationEvent, List<string> sent)
    {
        var state = reservationEvent.Kind == ReservationEventKind.Collected ? "collected" : "cancelled";
        logger.LogInformation("Reservation {ReservationId} {State}; no more notices", track.ReservationId, state);
        return Final(context, track, state, sent);
    }

    private static string Final(TaskOrchestrationContext context, ReservationTrack track, string state, List<string> sent)
    {
        context.SetCustomStatus(new ReservationNoticeStatus(state, track.PickupBy, null, null, sent));
        return state;
    }
}
