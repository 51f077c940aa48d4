namespace Comms.Reservations;

/// <summary>POST /reservations: a reservation was placed.</summary>
public sealed record PlaceReservationRequest
{
    public string? ReservationId { get; init; }
    public string? PatronId { get; init; }
    public string? Title { get; init; }
    public string? Author { get; init; }
    public string? PickupLocation { get; init; }
}

/// <summary>POST /reservations/{id}/ready: the item is on the hold shelf until <see cref="PickupBy"/>.</summary>
public sealed record ReservationReadyRequest
{
    public string? PickupLocation { get; init; }
    public DateTimeOffset? PickupBy { get; init; }
}

public sealed record CancelReservationRequest
{
    public string? Reason { get; init; }
}

/// <summary>The reservation after an event, and whether the event changed it (false: a repeat, nothing new happens).</summary>
public sealed record ReservationChange(Reservation Reservation, bool Changed)
{
    /// <summary>The notice this call queued (placed, cancelled), to follow at its status link.</summary>
    public Outbox.QueuedNotice? Notice { get; init; }
}
