using Comms.Circulation;

namespace Comms.Functions.Reservations;

/// <summary>The reservation orchestration's input: its keys and the pickup-by instant it expires at.</summary>
public sealed record ReservationTrack(string LibraryId, string ReservationId, DateTimeOffset PickupBy);

public enum ReservationEventKind
{
    Collected,
    Cancelled,
}

/// <summary>The one external event a reservation orchestration waits for.</summary>
public sealed record ReservationEvent(ReservationEventKind Kind);

/// <summary>Whether the ready notice went (false: collected or cancelled already) and when the expiring reminder goes, if at all.</summary>
public sealed record ReadyResult(bool Sent, PlannedStep? Expiring);

public sealed record ReminderInput(ReservationTrack Track, PlannedStep Step);

/// <summary>What GET /reservations/{id} reports as the reservation's notice status (the orchestration's custom status).</summary>
public sealed record ReservationNoticeStatus(string State, DateTimeOffset PickupBy, string? NextStep, DateTimeOffset? NextAt, IReadOnlyList<string> Sent);
