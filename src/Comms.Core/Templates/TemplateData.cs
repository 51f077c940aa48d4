namespace Comms.Templates;

/// <summary>
/// The facts about one notice as the library system knows them (instants, amounts), before formatting.
/// The model builder turns them into a <see cref="TemplateModel"/> for one library and language.
/// </summary>
public sealed record TemplateData
{
    public IReadOnlyList<LoanFacts>? Items { get; init; }
    public ReservationFacts? Reservation { get; init; }
    public OrderFacts? Order { get; init; }
    public ResetFacts? Reset { get; init; }
    public RecallFacts? Recall { get; init; }

    /// <summary>
    /// The patrons a shared contact's email is about, each with their items. Null in a patron's own email, whose
    /// model lists that patron alone with <see cref="Items"/>.
    /// </summary>
    public IReadOnlyList<PatronFacts>? Patrons { get; init; }

    /// <summary>A head of school's weekly summary: patrons and items per ladder step reached in the week.</summary>
    public IReadOnlyList<LevelFacts>? Levels { get; init; }

    public ChargeFacts? Charges { get; init; }
    public RenewalFacts? Renewals { get; init; }
    public CardFacts? Card { get; init; }
}

/// <summary>Step is a ladder step key ("overdue", "escalation-2").</summary>
public sealed record LevelFacts(string Step, int Patrons, int Items);

public sealed record PatronFacts
{
    public required string Name { get; init; }
    public string? Group { get; init; }
    public required IReadOnlyList<LoanFacts> Items { get; init; }

    /// <summary>False for a patron a weekly summary counts but does not name (below the library's listing level).</summary>
    public bool Listed { get; init; } = true;
}

public sealed record CardFacts
{
    public required DateTimeOffset ExpiresAt { get; init; }
}

public sealed record LoanFacts
{
    public required string Title { get; init; }
    public string? Author { get; init; }
    public required string Barcode { get; init; }
    public required DateTimeOffset DueDate { get; init; }
}

public sealed record ReservationFacts
{
    public required string Title { get; init; }
    public string? Author { get; init; }
    public required string PickupLocation { get; init; }

    /// <summary>Unknown (default) until the item is ready: the model then shows an empty date.</summary>
    public required DateTimeOffset PickupBy { get; init; }

    public string? Reason { get; init; }
}

public sealed record OrderFacts
{
    public required string Number { get; init; }
    public string? SupplierName { get; init; }
    public required IReadOnlyList<OrderLineFacts> Lines { get; init; }

    /// <summary>ISO 4217 code ("GBP").</summary>
    public required string Currency { get; init; }

    public required string DeliveryAddress { get; init; }
}

public sealed record OrderLineFacts
{
    public required string Title { get; init; }
    public string? Isbn { get; init; }
    public required int Quantity { get; init; }
    public required decimal UnitPrice { get; init; }
}

public sealed record ResetFacts
{
    public required string Link { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}

public sealed record RecallFacts
{
    public required string Reason { get; init; }
    public required DateTimeOffset NewDueDate { get; init; }
}
