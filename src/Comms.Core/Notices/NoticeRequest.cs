using Comms.Scenarios;

namespace Comms.Notices;

/// <summary>
/// "Send this scenario about this record": what a feature (circulation, reservations, lending, accounts,
/// acquisitions) hands to the <see cref="INoticeDispatcher"/>. The dispatcher decides who receives it
/// (the library's roles for the scenario), renders the library's template and sends it exactly once.
/// </summary>
public sealed record NoticeRequest
{
    public required string LibraryId { get; init; }
    public required ScenarioKey Scenario { get; init; }

    /// <summary>The record the notice is about: a loan id, a digest id, a reservation id, an order number.</summary>
    public required string SubjectRecordId { get; init; }

    /// <summary>The library-local date the notice belongs to; with the other keys it makes the notice id.</summary>
    public required DateOnly ScheduledFor { get; init; }

    public string? PatronId { get; init; }
    public string? SupplierId { get; init; }

    /// <summary>Items listed in the email (several for a digest or a checkout receipt).</summary>
    public IReadOnlyList<LoanFact> Loans { get; init; } = [];

    public ReservationFact? Reservation { get; init; }
    public RecallFact? Recall { get; init; }

    /// <summary>What is still owed, paid or left after a lost item's return or a payment (charges scenarios).</summary>
    public ChargeFact? Charge { get; init; }

    /// <summary>Auto-renewal results listed in a renewal digest.</summary>
    public IReadOnlyList<RenewalResultFact> Renewals { get; init; } = [];

    /// <summary>When the patron's library card expires (card-expiring).</summary>
    public DateTimeOffset? CardExpiresAt { get; init; }
    public OrderFact? Order { get; init; }

    /// <summary>A secret: it appears in the email only, never in the email log or in any log line.</summary>
    public PasswordResetFact? PasswordReset { get; init; }

    /// <summary>A template chosen by staff (manual send) instead of the library's active one for the scenario.</summary>
    public string? TemplateId { get; init; }

    /// <summary>Roles chosen by staff (manual send) instead of the library's roles for the scenario.</summary>
    public IReadOnlyList<Contacts.ContactRole>? Roles { get; init; }

    /// <summary>0 for the first send; an explicit re-send raises it, which gives the notice a new id.</summary>
    public int Revision { get; init; }

    /// <summary>
    /// A ladder step's patron email when the patron's shared contacts (parents, teachers, head of school) hear
    /// through their own one email per step: only the patron's own contact (and contacts without a usable
    /// address, logged NoContact) receive it.
    /// </summary>
    public bool OwnContactsOnly { get; init; }

    /// <summary>The one email a shared contact gets for a ladder step, listing every patron it is a contact for.</summary>
    public ContactDigestFact? ContactDigest { get; init; }

    /// <summary>
    /// Set on an SMS held back by quiet hours (docs/channels.md): the recipients (<see cref="Delivery.NoticeIds.RecipientKey"/>)
    /// the email could not reach. The outbox attempts it when the quiet hours end; the email is not sent again, only these
    /// readers are texted, under the SMS notice ids the first attempt would have used.
    /// </summary>
    public IReadOnlyList<string>? SmsRecipientKeys { get; init; }

    /// <summary>Set by the outbox when it delivers the notice in the background; the email log rows carry it.</summary>
    public string? OutboxNoticeId { get; init; }
}

/// <summary>Who a contact digest goes to, in which shape, and the patrons (with their loans) it lists.</summary>
public sealed record ContactDigestFact(
    Contacts.ContactShape Shape, string Name, string Email, Contacts.ContactRole Role, string? Language, IReadOnlyList<PatronLoansFact> Patrons)
{
    /// <summary>Set for a head of school's weekly summary: patrons and items per ladder step reached in the week.</summary>
    public IReadOnlyList<Templates.LevelFacts>? WeeklyLevels { get; init; }

    /// <summary>Set when the contact turned this scenario off for the patron listed: logged skipped with this reason, nothing sent.</summary>
    public string? OptedOut { get; init; }
}

/// <summary>Listed is false for a patron a weekly summary counts but does not name.</summary>
public sealed record PatronLoansFact(string PatronId, string Name, string? Group, IReadOnlyList<LoanFact> Loans, bool Listed = true);

/// <summary>ReplacementCost and Fee are the library system's charges for a lost item, in the library's currency.</summary>
public sealed record LoanFact(string LoanId, string Title, string? Author, string? Barcode, DateTimeOffset DueAt, decimal? ReplacementCost = null, decimal? Fee = null);

public sealed record ReservationFact(string ReservationId, string Title, string? Author, string? PickupLocation, DateTimeOffset? PickupBy, string? Reason);

public sealed record RecallFact(string? Reason, DateTimeOffset? NewDueAt);

/// <summary>Amounts the library system reports after a lost item's return (Remaining) or a payment (Paid, Balance).</summary>
public sealed record ChargeFact(decimal? Remaining = null, decimal? Paid = null, decimal? Balance = null);

/// <summary>
/// One auto-renewal result: renewed (Refusal null) from PreviousDueAt to DueAt, or not renewed for Refusal (DueAt
/// and PreviousDueAt are then the unchanged due date). FinalRenewal: the loan cannot be renewed again.
/// </summary>
public sealed record RenewalResultFact(
    string LoanId,
    string Title,
    string? Author,
    string? Barcode,
    DateTimeOffset DueAt,
    DateTimeOffset PreviousDueAt,
    Templates.RenewalRefusal? Refusal,
    bool FinalRenewal);

public sealed record OrderFact(string OrderNumber, IReadOnlyList<OrderLineFact> Lines, string Currency, string? DeliveryAddress, string? Notes);

public sealed record OrderLineFact(string Title, string? Isbn, int Quantity, decimal UnitPrice);

public sealed record PasswordResetFact(Uri Link, DateTimeOffset ExpiresAt);

/// <summary>How a request ended, per recipient status, for callers that report or test it.</summary>
public sealed record NoticeDispatchResult(int Sent, int Suppressed, int Skipped, int Failed, int NoContact)
{
    public static NoticeDispatchResult None { get; } = new(0, 0, 0, 0, 0);

    /// <summary>Of <see cref="Skipped"/>: recipients an earlier attempt had already sent it to (a retry), not skipped by a rule.</summary>
    public int AlreadySent { get; init; }

    /// <summary>The final word per recipient (ledger id, status, provider, reason), for the outbox's notice status.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<Delivery.RecipientOutcome> Outcomes { get; init; } = [];

    /// <summary>
    /// One word for the whole notice, as the email log tells it: "sent" when any reader got it (now or by an
    /// earlier attempt), else "failed", "suppressed", "noContact" or "skipped" (the library's rules), or "none".
    /// </summary>
    public string Outcome =>
        Sent + AlreadySent > 0 ? "sent"
        : Failed > 0 ? "failed"
        : Suppressed > 0 ? "suppressed"
        : NoContact > 0 ? "noContact"
        : Skipped > 0 ? "skipped"
        : "none";

    public NoticeDispatchResult Add(NoticeDispatchResult other) => new(
        Sent + other.Sent, Suppressed + other.Suppressed, Skipped + other.Skipped, Failed + other.Failed, NoContact + other.NoContact)
    {
        AlreadySent = AlreadySent + other.AlreadySent,
        Outcomes = [.. Outcomes, .. other.Outcomes],
    };
}

/// <summary>
/// Something may still succeed later (a provider outage outlasted the retries, or another worker holds a
/// fresh claim). Durable activities fail with it so their retry policy runs; HTTP answers 503 with
/// Retry-After. The delivery ledger makes the retry safe.
/// </summary>
public sealed class DeliveryDeferredException(string message) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(30);

    /// <summary>What the recipients that were tried got (the others were deferred); the outbox records them as an attempt.</summary>
    public NoticeDispatchResult Partial { get; init; } = NoticeDispatchResult.None;
}

/// <summary>Resolves recipients, renders and sends a notice exactly once (see docs/architecture.md).</summary>
public interface INoticeDispatcher
{
    Task<NoticeDispatchResult> DispatchAsync(NoticeRequest request, CancellationToken cancellationToken = default);
}
