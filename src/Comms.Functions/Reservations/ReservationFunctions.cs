using Comms.Circulation;
using Comms.Common;
using Comms.Functions.Durable;
using Comms.Functions.Http;
using Comms.Reservations;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Comms.Functions.Reservations;

/// <summary>The library system's reservation events: placed, ready, collected, cancelled, and the reservation's notice status.</summary>
public sealed class ReservationFunctions(ReservationService reservations, LibraryAccess access, TimeProvider time, IOptions<CirculationOptions> circulation)
{
    [Function(nameof(PlaceReservation))]
    public async Task<IActionResult> PlaceReservation(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/reservations")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<PlaceReservationRequest>(request, cancellationToken: request.HttpContext.RequestAborted);
        var change = await reservations.PlaceAsync(libraryId, body, request.HttpContext.RequestAborted);
        var view = new ReservationView(change.Reservation, change.Changed, null, null) { Notice = change.Notice };
        return change.Changed ? new CreatedResult(Location(change.Reservation), view) : new OkObjectResult(view);
    }

    [Function(nameof(GetReservation))]
    public async Task<IActionResult> GetReservation(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/reservations/{reservationId}")] HttpRequest request,
        string libraryId,
        string reservationId,
        [DurableClient] DurableTaskClient client)
    {
        await access.AuthorizeAsync(request, libraryId);
        var reservation = await reservations.GetAsync(libraryId, reservationId, request.HttpContext.RequestAborted);
        var instance = await client.GetInstanceAsync(ReservationInstanceIds.For(libraryId, reservationId), getInputsAndOutputs: true, request.HttpContext.RequestAborted);
        return new OkObjectResult(new ReservationView(reservation, null, ReportedStatus.Of(instance), instance?.ReadCustomStatusAs<ReservationNoticeStatus>()));
    }

    /// <summary>Marks it ready and starts its orchestration (ready notice, expiring reminder, expiry). A repeat only repairs a missing start.</summary>
    [Function(nameof(ReservationReady))]
    public async Task<IActionResult> ReservationReady(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/reservations/{reservationId}/ready")] HttpRequest request,
        string libraryId,
        string reservationId,
        [DurableClient] DurableTaskClient client)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<ReservationReadyRequest>(request, cancellationToken: request.HttpContext.RequestAborted);
        var change = await reservations.ReadyAsync(libraryId, reservationId, body, request.HttpContext.RequestAborted);
        var instanceId = ReservationInstanceIds.For(libraryId, reservationId);

        // The existence check matters: on Azure Storage scheduling an existing instance id restarts it.
        if (await client.GetInstanceAsync(instanceId, request.HttpContext.RequestAborted) is null)
        {
            // A repeat soon after the reservation was marked ready: the post that marked it may still be starting
            // the orchestration, and a repeat must not restart it (see CirculationOptions.StartGrace).
            var wait = change.Reservation.ReadyAt + circulation.Value.StartGrace - time.GetUtcNow();
            if (!change.Changed && wait > TimeSpan.Zero)
            {
                throw new RetryLaterException($"Reservation '{reservationId}' was marked ready by an earlier request whose start may still be queued; retry after {Math.Ceiling(wait.Value.TotalSeconds)} s.", wait.Value);
            }

            var track = new ReservationTrack(libraryId, reservationId, change.Reservation.PickupBy!.Value);
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(ReservationOrchestration.ReservationOrchestrator), track, new StartOrchestrationOptions(instanceId), request.HttpContext.RequestAborted);
        }

        return Accepted(change);
    }

    [Function(nameof(CollectReservation))]
    public async Task<IActionResult> CollectReservation(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/reservations/{reservationId}/collected")] HttpRequest request,
        string libraryId,
        string reservationId,
        [DurableClient] DurableTaskClient client)
    {
        await access.AuthorizeAsync(request, libraryId);
        var change = await reservations.CollectAsync(libraryId, reservationId, request.HttpContext.RequestAborted);
        await SignalAsync(client, change, ReservationEventKind.Collected, request.HttpContext.RequestAborted);
        return Accepted(change);
    }

    /// <summary>Cancels it, stops its orchestration and sends the cancellation notice with the reason.</summary>
    [Function(nameof(CancelReservation))]
    public async Task<IActionResult> CancelReservation(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/reservations/{reservationId}/cancel")] HttpRequest request,
        string libraryId,
        string reservationId,
        [DurableClient] DurableTaskClient client)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<CancelReservationRequest>(request, cancellationToken: request.HttpContext.RequestAborted);
        var change = await reservations.CancelAsync(libraryId, reservationId, body, request.HttpContext.RequestAborted);
        await SignalAsync(client, change, ReservationEventKind.Cancelled, request.HttpContext.RequestAborted);
        return Accepted(change);
    }

    /// <summary>
    /// Tells a running orchestration to stop. Without one (never made ready, or already finished) there is nothing
    /// to stop; the row already holds the new state, which the orchestration's activities check before sending.
    /// </summary>
    private static async Task SignalAsync(DurableTaskClient client, ReservationChange change, ReservationEventKind kind, CancellationToken cancellationToken)
    {
        var instanceId = ReservationInstanceIds.For(change.Reservation.LibraryId, change.Reservation.ReservationId);
        // Also on a repeat: the first call may have stopped between the row write and the event.
        if (await client.GetInstanceAsync(instanceId, cancellationToken) is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending } instance)
        {
            await InstanceEvents.RaiseAsync(client, instance, ReservationOrchestration.EventName, new ReservationEvent(kind), cancellationToken);
        }
    }

    private static AcceptedResult Accepted(ReservationChange change) =>
        new(Location(change.Reservation), new ReservationView(change.Reservation, change.Changed, null, null) { Notice = change.Notice });

    private static string Location(Reservation r) => $"/api/libraries/{r.LibraryId}/reservations/{r.ReservationId}";

    /// <summary>The reservation, whether this call changed it, and (GET) its orchestration's status and notices.</summary>
    public sealed record ReservationView(Reservation Reservation, bool? Changed, string? RuntimeStatus, ReservationNoticeStatus? Notices)
    {
        /// <summary>The notice this call queued (placed, cancelled), with its status link.</summary>
        public Comms.Outbox.QueuedNotice? Notice { get; init; }
    }
}
