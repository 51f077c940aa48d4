using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Storage;

namespace Comms.Reservations;

/// <summary>
/// Validates reservation events, moves the reservation row through its states and sends the notices that go
/// at once (placed, cancelled). Ready, expiring and expired are sent by the reservation's orchestration.
/// A repeated event (same values) changes nothing and re-sends nothing new: the ledger keys every notice on
/// the reservation id, the scenario and a date stored in the row. Any other event after collected,
/// cancelled or expired is a 409.
/// </summary>
public sealed class ReservationService(ReservationStore store, LibraryStore libraries, PatronStore patrons, INoticeDispatcher dispatcher, Outbox.NoticeOutbox outbox, TimeProvider time)
{
    private const int MaxTextLength = 500;
    private static readonly TimeSpan MaxPickupAhead = TimeSpan.FromDays(366);

    public async Task<ReservationChange> PlaceAsync(string libraryId, PlaceReservationRequest request, CancellationToken cancellationToken = default)
    {
        ValidatePlace(request);
        var library = await LibraryAsync(libraryId, cancellationToken);
        _ = await patrons.GetAsync(libraryId, request.PatronId!, cancellationToken)
            ?? throw new NotFoundException($"Patron '{request.PatronId}' does not exist in library '{libraryId}'. Add the patron (PUT /api/libraries/{libraryId}/patrons/{request.PatronId}) before placing reservations for them.");
        var reservation = new Reservation
        {
            LibraryId = libraryId,
            ReservationId = request.ReservationId!,
            PatronId = request.PatronId!,
            Title = request.Title!.Trim(),
            Author = request.Author?.Trim(),
            PickupLocation = request.PickupLocation?.Trim(),
            PlacedAt = time.GetUtcNow(),
        };

        var created = await store.TryInsertAsync(reservation, cancellationToken);
        if (!created)
        {
            reservation = (await store.GetAsync(libraryId, reservation.ReservationId, cancellationToken))!.Value.Reservation;
            if (reservation.PatronId != request.PatronId || reservation.Title != request.Title.Trim())
            {
                throw new ConflictException($"Reservation '{request.ReservationId}' already exists for another patron or title. Use a new reservation id.");
            }
        }

        // Also on a repeat: the first attempt may have stopped before queueing it; a repeat answers the same notice.
        var notice = await QueueAsync(library, reservation, Scenario.ReservationRequested, reservation.PlacedAt, cancellationToken);
        return new ReservationChange(reservation, created) { Notice = notice };
    }

    public async Task<Reservation> GetAsync(string libraryId, string reservationId, CancellationToken cancellationToken = default) =>
        (await FindAsync(libraryId, reservationId, cancellationToken)).Reservation;

    public async Task<ReservationChange> ReadyAsync(string libraryId, string reservationId, ReservationReadyRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        if (request.PickupBy is null)
        {
            errors.Add("pickupBy", "Required: an ISO 8601 date-time with offset, e.g. 2026-03-14T17:00:00Z.");
        }
        else if (request.PickupBy <= time.GetUtcNow() || request.PickupBy > time.GetUtcNow() + MaxPickupAhead)
        {
            errors.Add("pickupBy", "Must be in the future and at most a year ahead.");
        }

        if (request.PickupLocation is { } location && (string.IsNullOrWhiteSpace(location) || location.Length > MaxTextLength))
        {
            errors.Add("pickupLocation", $"Use 1 to {MaxTextLength} characters.");
        }

        errors.ThrowIfAny();
        var pickupBy = request.PickupBy!.Value.ToUniversalTime();
        return await ChangeAsync(libraryId, reservationId, "made ready", r =>
        {
            var pickupLocation = request.PickupLocation?.Trim() ?? r.PickupLocation;
            if (r.Status == ReservationStatus.Ready)
            {
                return r.PickupBy == pickupBy && r.PickupLocation == pickupLocation
                    ? null
                    : throw new ConflictException($"Reservation '{reservationId}' is already ready for pickup by {r.PickupBy:O}.");
            }

            if (string.IsNullOrWhiteSpace(pickupLocation))
            {
                throw RequestValidationException.For("pickupLocation", "Required: where the patron collects the item (not given when the reservation was placed).");
            }

            return r with { Status = ReservationStatus.Ready, PickupBy = pickupBy, PickupLocation = pickupLocation, ReadyAt = time.GetUtcNow() };
        }, cancellationToken);
    }

    public Task<ReservationChange> CollectAsync(string libraryId, string reservationId, CancellationToken cancellationToken = default) =>
        ChangeAsync(libraryId, reservationId, "collected", r => r.Status == ReservationStatus.Collected
            ? null
            : r with { Status = ReservationStatus.Collected, ClosedAt = time.GetUtcNow() }, cancellationToken);

    public async Task<ReservationChange> CancelAsync(string libraryId, string reservationId, CancelReservationRequest request, CancellationToken cancellationToken = default)
    {
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > MaxTextLength)
        {
            throw RequestValidationException.For("reason", $"Required: why the reservation was cancelled, 1 to {MaxTextLength} characters.");
        }

        var change = await ChangeAsync(libraryId, reservationId, "cancelled", r => r.Status == ReservationStatus.Cancelled
            ? null
            : r with { Status = ReservationStatus.Cancelled, ClosedAt = time.GetUtcNow(), CancelReason = reason }, cancellationToken);
        var library = await LibraryAsync(libraryId, cancellationToken);
        var notice = await QueueAsync(library, change.Reservation, Scenario.ReservationCancelled, change.Reservation.ClosedAt!.Value, cancellationToken);
        return change with { Notice = notice };
    }

    /// <summary>
    /// At pickup-by: Ready → Expired and the expired notice, unless a collected or cancelled event got to the row
    /// first (then false and nothing is sent). A retried activity finds it Expired already and re-sends, which the
    /// ledger turns into one email.
    /// </summary>
    public async Task<bool> ExpireAsync(string libraryId, string reservationId, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var (reservation, etag) = await FindAsync(libraryId, reservationId, cancellationToken);
            if (reservation.Status is not (ReservationStatus.Ready or ReservationStatus.Expired))
            {
                return false;
            }

            var expired = reservation.Status == ReservationStatus.Expired
                ? reservation
                : reservation with { Status = ReservationStatus.Expired, ClosedAt = reservation.PickupBy };
            if (expired == reservation || await store.TryReplaceAsync(expired, etag, cancellationToken))
            {
                var library = await libraries.GetAsync(libraryId, cancellationToken);
                if (library is not null)
                {
                    await SendAsync(library, expired, Scenario.ReservationExpired, expired.PickupBy!.Value, cancellationToken);
                }

                return true;
            }
        }
    }

    /// <summary>Ready or expiring notice, only while the reservation is still waiting on the shelf.</summary>
    public async Task<bool> SendWhileReadyAsync(string libraryId, string reservationId, Scenario scenario, DateOnly scheduledFor, CancellationToken cancellationToken = default)
    {
        var (reservation, _) = await FindAsync(libraryId, reservationId, cancellationToken);
        var library = await libraries.GetAsync(libraryId, cancellationToken);
        if (reservation.Status != ReservationStatus.Ready || library is null)
        {
            return false;
        }

        await dispatcher.DispatchAsync(Request(reservation, scenario, scheduledFor), cancellationToken);
        return true;
    }

    /// <summary>
    /// Applies <paramref name="next"/> with compare-and-swap, re-reading on a lost race; null from it means
    /// "already in that state" (a repeat). Closed reservations accept only the repeat of their own event.
    /// </summary>
    private async Task<ReservationChange> ChangeAsync(string libraryId, string reservationId, string verb, Func<Reservation, Reservation?> next, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (reservation, etag) = await FindAsync(libraryId, reservationId, cancellationToken);
            Reservation? changed;
            try
            {
                changed = next(reservation);
            }
            catch (Exception e) when (reservation.IsClosed && e is ConflictException or RequestValidationException)
            {
                // Whatever else is wrong with the event, what the caller needs to hear is that it came too late.
                throw Closed(reservation, verb);
            }

            if (changed is null)
            {
                return new ReservationChange(reservation, false);
            }

            if (reservation.IsClosed)
            {
                throw Closed(reservation, verb);
            }

            if (await store.TryReplaceAsync(changed, etag, cancellationToken))
            {
                return new ReservationChange(changed, true);
            }
        }
    }

    private static ConflictException Closed(Reservation r, string verb) =>
        new($"Reservation '{r.ReservationId}' was {r.Status.ToString().ToLowerInvariant()} at {r.ClosedAt:O}; it cannot be {verb}.");

    private async Task<(Reservation Reservation, Azure.ETag ETag)> FindAsync(string libraryId, string reservationId, CancellationToken cancellationToken) =>
        (TableKeys.IsValidId(reservationId) ? await store.GetAsync(libraryId, reservationId, cancellationToken) : null)
        ?? throw new NotFoundException($"Reservation '{reservationId}' does not exist in library '{libraryId}'.");

    private async Task<Library> LibraryAsync(string libraryId, CancellationToken cancellationToken) =>
        await libraries.GetAsync(libraryId, cancellationToken) ?? throw new NotFoundException($"Library '{libraryId}' does not exist.");

    /// <summary>Notices a library-system call asks for go through the outbox: the call never waits on a provider.</summary>
    private Task<Outbox.QueuedNotice> QueueAsync(Library library, Reservation reservation, Scenario scenario, DateTimeOffset at, CancellationToken cancellationToken) =>
        outbox.EnqueueAsync(Request(reservation, scenario, ReservationSchedule.LocalDate(library, at)), cancellationToken);

    private Task SendAsync(Library library, Reservation reservation, Scenario scenario, DateTimeOffset at, CancellationToken cancellationToken) =>
        dispatcher.DispatchAsync(Request(reservation, scenario, ReservationSchedule.LocalDate(library, at)), cancellationToken);

    private static NoticeRequest Request(Reservation reservation, Scenario scenario, DateOnly scheduledFor) => new()
    {
        LibraryId = reservation.LibraryId,
        Scenario = new ScenarioKey(scenario),
        SubjectRecordId = reservation.ReservationId,
        ScheduledFor = scheduledFor,
        PatronId = reservation.PatronId,
        Reservation = reservation.ToFact(),
    };

    private static void ValidatePlace(PlaceReservationRequest request)
    {
        var errors = new ValidationErrors();
        if (!TableKeys.IsValidId(request.ReservationId))
        {
            errors.Add("reservationId", "Required: letters, digits, '.', '_' or '-', at most 100 characters.");
        }

        if (!TableKeys.IsValidId(request.PatronId))
        {
            errors.Add("patronId", "Required: letters, digits, '.', '_' or '-', at most 100 characters.");
        }

        Text.Required(request.Title, "title", MaxTextLength, errors);
        Text.Optional(request.Author, "author", MaxTextLength, errors);
        Text.Optional(request.PickupLocation, "pickupLocation", MaxTextLength, errors);
        errors.ThrowIfAny();
    }
}
