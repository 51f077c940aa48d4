using Comms.Storage;

namespace Comms.Libraries;

/// <summary>
/// Every table whose partition key is the library id. Deleting a library empties its partition in each, so
/// no patron, contact, template, loan, order or email log row outlives it. A feature that adds such a table
/// adds its name here; the test for library deletion checks each one.
/// </summary>
public sealed class LibraryDataPurge(CommsTables tables)
{
    public static readonly IReadOnlyList<string> TablesPartitionedByLibrary =
    [
        "Patrons", "Suppliers", "Templates", "Loans", "Reservations", "SupplierOrders", "PasswordResetWindows",
        "EmailLog", "NoticeLedger", "BlacklistAudit", "LibraryKeys",
    ];

    public async Task PurgeAsync(string libraryId, CancellationToken cancellationToken = default)
    {
        foreach (var table in TablesPartitionedByLibrary)
        {
            await tables.DeletePartitionAsync(table, libraryId, cancellationToken);
        }
    }
}
