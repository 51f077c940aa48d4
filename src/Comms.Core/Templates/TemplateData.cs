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
    public ChargeFacts? Charges { get; init; }
    public RenewalFacts? Renewals { get; init; }
    public CardFacts? Card { get; init; }
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
