namespace Comms.Acquisitions;

/// <summary>A purchase order to a supplier, as the library system posts it.</summary>
public sealed record SupplierOrder
{
    public required string OrderNumber { get; init; }
    public required string SupplierId { get; init; }
    public required IReadOnlyList<SupplierOrderLine> Lines { get; init; }

    /// <summary>ISO 4217 code ("GBP", "EUR").</summary>
    public required string Currency { get; init; }

    public string? DeliveryAddress { get; init; }
    public string? Notes { get; init; }
}

public sealed record SupplierOrderLine
{
    public required string Title { get; init; }
    public string? Isbn { get; init; }
    public required int Quantity { get; init; }
    public required decimal UnitPrice { get; init; }
}

/// <summary>The stored order: what was posted and how many times it has been explicitly re-sent.</summary>
public sealed record StoredSupplierOrder(SupplierOrder Order, int Revision, DateTimeOffset ReceivedAt);
