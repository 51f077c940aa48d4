using Comms.Circulation;
using Comms.Libraries;
using Comms.Reservations;
using Comms.Scenarios;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Comms.Functions.Reservations;

/// <summary>All of a reservation orchestration's I/O. Each re-reads the row, so a missed event still stops the notices.</summary>
public sealed class ReservationActivities(ReservationService reservations, LibraryStore libraries, IOptions<CirculationOptions> circulation, TimeProvider time)
{
    /// <summary>Sends the ready notice and plans the expiring reminder from the library's current settings.</summary>
    [Function(nameof(SendReservationReady))]
    public async Task<ReadyResult> SendReservationReady([ActivityTrigger] ReservationTrack track)
    {
        var reservation = await reservations.GetAsync(track.LibraryId, track.ReservationId);
        var library = await libraries.GetAsync(track.LibraryId);
        if (library is null || reservation.ReadyAt is not { } readyAt)
        {
            return new ReadyResult(false, null);
        }

        var sent = await reservations.SendWhileReadyAsync(track.LibraryId, track.ReservationId, Scenario.ReservationReady, ReservationSchedule.LocalDate(library, readyAt));
        return new ReadyResult(sent, sent ? ReservationSchedule.Expiring(library, circulation.Value.DayLength, track.PickupBy, time.GetUtcNow()) : null);
    }

    [Function(nameof(SendReservationExpiring))]
    public Task<bool> SendReservationExpiring([ActivityTrigger] ReminderInput input) =>
        reservations.SendWhileReadyAsync(input.Track.LibraryId, input.Track.ReservationId, Scenario.ReservationExpiring, input.Step.ScheduledFor);

    /// <summary>True when the reservation expired now (and the notice went); false when collected or cancelled first.</summary>
    [Function(nameof(ExpireReservation))]
    public Task<bool> ExpireReservation([ActivityTrigger] ReservationTrack track) =>
        reservations.ExpireAsync(track.LibraryId, track.ReservationId);
}
