using Comms.Libraries;
using Comms.Reservations;

namespace Comms.Tests.Reservations;

/// <summary>The expiring reminder's instant: the loan ladder's calendar (zone, send time, closed dates) applied to pickup-by.</summary>
public sealed class ReservationScheduleTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    // Pickup by Friday 3 April 2026, 17:00 London (BST, UTC+1).
    private static readonly DateTimeOffset PickupBy = new(2026, 4, 3, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Expiring_TwoDaysBefore_AtTheLibrarysSendTimeInItsZone()
    {
        var step = ReservationSchedule.Expiring(Library(), Day, PickupBy, Now);

        Assert.NotNull(step);
        Assert.Equal("reservation-expiring", step.Step);
        Assert.Equal(new DateOnly(2026, 4, 1), step.ScheduledFor);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 8, 30, 0, TimeSpan.Zero), step.FireAt);
    }

    [Fact]
    public void Expiring_OnAClosedDay_MovesToTheNextOpenDay()
    {
        var step = ReservationSchedule.Expiring(Library() with { ClosedDates = [new DateOnly(2026, 4, 1)] }, Day, PickupBy, Now);

        Assert.Equal(new DateOnly(2026, 4, 2), step!.ScheduledFor);
    }

    [Fact]
    public void Expiring_PushedToPickupDayAfterSendTime_OrPast_OrSwitchedOff_IsDropped()
    {
        var closedUntilPickup = Library() with { ClosedDates = [new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 2), new DateOnly(2026, 4, 3)] };
        var zeroDays = Library() with { Timing = new NoticeTiming { ReservationExpiringDaysBefore = 0 } };

        Assert.Null(ReservationSchedule.Expiring(closedUntilPickup, Day, PickupBy, Now));
        Assert.Null(ReservationSchedule.Expiring(zeroDays, Day, PickupBy, Now));
        Assert.Null(ReservationSchedule.Expiring(Library(), Day, PickupBy, PickupBy.AddDays(-1)));
    }

    [Fact]
    public void Expiring_ScaledDays_IsPickupByMinusDaysTimesDayLength()
    {
        var step = ReservationSchedule.Expiring(Library(), TimeSpan.FromSeconds(1), PickupBy, PickupBy.AddMinutes(-1));

        Assert.Equal(PickupBy.AddSeconds(-2), step!.FireAt);
    }

    private static Library Library() => Samples.Library("lib") with { Timing = new NoticeTiming { ReservationExpiringDaysBefore = 2 } };
}
