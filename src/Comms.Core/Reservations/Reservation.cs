using Comms.Notices;

namespace Comms.Reservations;

/// <summary>Requested → Ready → one of Collected, Cancelled, Expired. A request may also be cancelled before it is ready.</summary>
public enum ReservationStatus
{
    Requested,
    Ready,
    Collected,
    Cancelled,
    Expired,
}

/// <summary>
/// A reservation as the library system reported it. The row is the source of truth: the HTTP API answers
/// 404 / 409 from it, and the expiry and a collected or cancelled event race on its ETag, so exactly one wins.
/// </summary>
public sealed record Reservation
{
    public required string LibraryId { get; init; }
    public required string ReservationId { get; init; }
    public required string PatronId { get; init; }
    public required string Title { get; init; }
    public string? Author { get; init; }
    public string? PickupLocation { get; init; }
    public DateTimeOffset? PickupBy { get; init; }
    public ReservationStatus Status { get; init; } = ReservationStatus.Requested;
    public required DateTimeOffset PlacedAt { get; init; }
    public DateTimeOffset? ReadyAt { get; init; }

    /// <summary>When it was collected, cancelled or expired.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    public string? CancelReason { get; init; }

    public bool IsClosed => Status is ReservationStatus.Collected or ReservationStatus.Cancelled or ReservationStatus.Expired;

    public ReservationFact ToFact() => new(ReservationId, Title, Author, PickupLocation, PickupBy, CancelReason);
}

/// <summary>Durable instance ids derived from library and reservation, so a reservation maps to one orchestration.</summary>
public static class ReservationInstanceIds
{
    public static string For(string libraryId, string reservationId) => $"reservation:{libraryId}:{reservationId}";
}
