using Comms.Circulation;
using Comms.Libraries;
using Comms.Scenarios;

namespace Comms.Reservations;

/// <summary>
/// When a ready reservation's "expiring" reminder goes: <c>timing.reservationExpiringDaysBefore</c> days before
/// pickup-by, at the library's send time on an open day (the loan ladder's calendar). None when the library
/// set 0 days, or the reminder would fall at or past pickup-by, or is already past. A library that turned the
/// scenario off still gets the timer: the dispatcher logs the notice as Skipped, like every other scenario.
/// </summary>
public static class ReservationSchedule
{
    public static PlannedStep? Expiring(Library library, TimeSpan dayLength, DateTimeOffset pickupBy, DateTimeOffset now)
    {
        var days = library.Timing.ReservationExpiringDaysBefore;
        if (days <= 0)
        {
            return null;
        }

        var step = LoanLadder.DaysFrom(LadderPolicy.From(library, dayLength), pickupBy, -days);
        return step.FireAt < pickupBy && step.FireAt > now
            ? new PlannedStep(new ScenarioKey(Scenario.ReservationExpiring).ToString(), step.FireAt, step.ScheduledFor)
            : null;
    }

    /// <summary>The library-local date an instant belongs to: part of a notice's id, so it must be stable for retries.</summary>
    public static DateOnly LocalDate(Library? library, DateTimeOffset instant) =>
        LibraryTime.LocalDate(instant, LibraryTime.Zone(library?.TimeZone));
}
