using Comms.Storage;

namespace Comms.Contacts;

/// <summary>Suppliers that receive a library's purchase orders, partitioned by library.</summary>
public sealed class SupplierStore(CommsTables tables)
{
    private readonly DocumentTable<Supplier> _suppliers = new(tables, "Suppliers");

    public Task<Supplier?> GetAsync(string libraryId, string supplierId, CancellationToken cancellationToken = default) =>
        _suppliers.GetAsync(libraryId, supplierId, cancellationToken);

    public Task UpsertAsync(string libraryId, Supplier supplier, CancellationToken cancellationToken = default) =>
        _suppliers.UpsertAsync(libraryId, supplier.Id, supplier, cancellationToken);

    public Task<bool> DeleteAsync(string libraryId, string supplierId, CancellationToken cancellationToken = default) =>
        _suppliers.DeleteAsync(libraryId, supplierId, cancellationToken);

    public Task<Page<Supplier>> ListAsync(string libraryId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        _suppliers.ListAsync(libraryId, pageSize, continuationToken, cancellationToken);
}
