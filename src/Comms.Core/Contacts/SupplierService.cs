using Comms.Common;
using Comms.Storage;

namespace Comms.Contacts;

public sealed class SupplierService(SupplierStore suppliers)
{
    public async Task<Supplier> GetAsync(string libraryId, string supplierId, CancellationToken cancellationToken = default) =>
        (TableKeys.IsValidId(supplierId) ? await suppliers.GetAsync(libraryId, supplierId, cancellationToken) : null)
        ?? throw new NotFoundException($"Supplier '{supplierId}' was not found.");

    public async Task<Supplier> UpsertAsync(string libraryId, string supplierId, Supplier supplier, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        if (!string.Equals(supplier.Id, supplierId, StringComparison.Ordinal))
        {
            errors.Add("id", "The id in the body must match the id in the URL.");
        }

        SupplierValidator.Validate(supplier, errors);
        errors.ThrowIfAny();
        await suppliers.UpsertAsync(libraryId, supplier, cancellationToken);
        return supplier;
    }

    public async Task DeleteAsync(string libraryId, string supplierId, CancellationToken cancellationToken = default)
    {
        if (!TableKeys.IsValidId(supplierId) || !await suppliers.DeleteAsync(libraryId, supplierId, cancellationToken))
        {
            throw new NotFoundException($"Supplier '{supplierId}' was not found.");
        }
    }

    public Task<Page<Supplier>> ListAsync(string libraryId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        suppliers.ListAsync(libraryId, pageSize, continuationToken, cancellationToken);
}
