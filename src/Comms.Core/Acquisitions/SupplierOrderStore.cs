using Comms.Storage;

namespace Comms.Acquisitions;

/// <summary>Orders by library and order number; the row makes a posted order idempotent.</summary>
public sealed class SupplierOrderStore(CommsTables tables)
{
    private readonly DocumentTable<StoredSupplierOrder> _orders = new(tables, "SupplierOrders");

    public Task<StoredSupplierOrder?> GetAsync(string libraryId, string orderNumber, CancellationToken cancellationToken = default) =>
        _orders.GetAsync(libraryId, orderNumber, cancellationToken);

    public Task<bool> TryInsertAsync(string libraryId, StoredSupplierOrder order, CancellationToken cancellationToken = default) =>
        _orders.TryInsertAsync(libraryId, order.Order.OrderNumber, order, cancellationToken);

    public Task<bool> TryReplaceAsync(string libraryId, StoredSupplierOrder order, CancellationToken cancellationToken = default) =>
        _orders.TryReplaceAsync(libraryId, order.Order.OrderNumber, order, cancellationToken);
}
