namespace Comms.Templates;

/// <summary>
/// What a template sees. Every value is already text (dates in the library's time zone and language,
/// amounts with their decimals), so templates never format anything and Mustache's lack of formatters
/// does not matter. Sections a scenario does not use stay null and are left out of the view.
/// </summary>
public sealed record TemplateModel
{
    public required LibraryModel Library { get; init; }
    public PatronModel? Patron { get; init; }
    public RecipientModel? Recipient { get; init; }
    public IReadOnlyList<ItemModel>? Items { get; init; }
    public ReservationModel? Reservation { get; init; }
    public OrderModel? Order { get; init; }
    public ResetModel? Reset { get; init; }
    public RecallModel? Recall { get; init; }
    public EscalationModel? Escalation { get; init; }

    /// <summary>
    /// Every patron the email is about, each with their items: the patron alone in a patron's own email, each
    /// child in a household's, the students in a class list (docs/templates.md, "Contacts of many patrons").
    /// </summary>
    public IReadOnlyList<PatronItemsModel>? Patrons { get; init; }

    public TotalsModel? Totals { get; init; }

    /// <summary>Patrons and items per class (patron group), for the head of school's summary; every digest has it.</summary>
    public IReadOnlyList<ClassCountModel>? Classes { get; init; }

    /// <summary>Which shape this email has, so one template can word each differently.</summary>
    public DigestModel? Digest { get; init; }

    /// <summary>Which ladder step this is, so a template shared by the steps can word each.</summary>
    public StepModel? Step { get; init; }

    /// <summary>A weekly summary's patrons and items per step reached in the week; empty in every other email.</summary>
    public IReadOnlyList<LevelCountModel>? Levels { get; init; }

    public ChargesModel? Charges { get; init; }
    public RenewalsModel? Renewals { get; init; }
    public CardModel? Card { get; init; }
}

/// <summary>Step is the key ("overdue", "escalation-2"); Level the escalation level ("0" before escalation).</summary>
public sealed record LevelCountModel(string Step, string Level, bool PreOverdue, bool Overdue, bool Escalation, string Patrons, string Items);

public sealed record PatronItemsModel(string Name, string Group, IReadOnlyList<ItemModel> Items, string ItemCount);

/// <summary>Counts as text in the reader's language; Unlisted is how many items a summary counts but does not list.</summary>
public sealed record TotalsModel(string Patrons, string Items, string Classes, string Unlisted);

public sealed record ClassCountModel(string Name, string Patrons, string Items);

/// <summary>
/// Personal: the patron's own email. Household, ClassList, Summary: a shared contact's one email per step.
/// ListsPatrons is false only in a summary below the library's listing level (counts per class only).
/// </summary>
public sealed record DigestModel(bool Personal, bool Household, bool ClassList, bool Summary, bool ListsPatrons)
{
    /// <summary>A head of school's summary of the week rather than of one step.</summary>
    public bool Weekly { get; init; }
}

public sealed record StepModel(bool PreOverdue, bool Overdue, bool Escalation, string Level);

/// <summary>The patron's library card: the date it expires, in the library's time zone and the reader's language.</summary>
public sealed record CardModel(string ExpiresOn);

public sealed record LibraryModel(string Name, string FromAddress);

public sealed record PatronModel(string Name, string Group);

/// <summary>The person this copy goes to: the patron, a parent, a teacher, or a supplier's order desk.</summary>
public sealed record RecipientModel(string Name, string Role);

/// <summary>DaysOverdue is the number ("3"); DaysOverdueText the number with its word in the reader's language ("3 days", "1 day").</summary>
public sealed record ItemModel(string Title, string Author, string Barcode, string DueDate, string DaysOverdue, string DaysOverdueText);

/// <summary>Reason is the library's reason for a cancellation; empty in the other reservation notices.</summary>
public sealed record ReservationModel(string Title, string Author, string PickupLocation, string PickupBy, string Reason);

public sealed record OrderModel(
    string Number,
    string SupplierName,
    IReadOnlyList<OrderLineModel> Lines,
    string Total,
    string Currency,
    string DeliveryAddress);

public sealed record OrderLineModel(string Title, string Isbn, string Quantity, string UnitPrice, string LineTotal);

/// <summary>The link is a secret: only the reader's email shows it (see <see cref="SecretAttribute"/>).</summary>
public sealed record ResetModel([property: Secret] string Link, string ExpiresAt);

public sealed record RecallModel(string Reason, string NewDueDate);

public sealed record EscalationModel(string Level);
