using Azure.Data.Tables;
using Comms.Storage;

namespace Comms.Libraries;

/// <summary>
/// Every table whose partition key is the library id. Deleting a library empties its partition in each, so
/// no patron, contact, template, loan, order or email log row outlives it. A feature that adds such a table
/// adds its name here; the test for library deletion checks each one.
/// </summary>
public sealed class LibraryDataPurge(CommsTables tables, MessageCopies.MessageCopyStore messageCopies, Print.PrintFileStore printFiles)
{
    public static readonly IReadOnlyList<string> TablesPartitionedByLibrary =
    [
        "Patrons", "Suppliers", "Templates", "Loans", "Reservations", "SupplierOrders", "PasswordResetWindows",
        "EmailLog", "EmailLogDaily", "NoticeLedger", "BlacklistAudit", "LibraryKeys", "OutboxNotices", "LibraryWebhooks", "PlannedSteps", "BlacklistGrowth",
        Layouts.LayoutStore.TableName, Preferences.ContactOptOutStore.TableName, Print.PrintItemStore.TableName, Print.PrintBatchStore.TableName,
    ];

    /// <summary>Tables whose partition keys are "{libraryId}|…" (a patron's loans, a digest's send time): one partition per key.</summary>
    public static readonly IReadOnlyList<string> TablesKeyedByLibraryPrefix = ["PatronLoans", "LoanDigests", "ContactDigests", "WeeklySummaries"];

    public async Task PurgeAsync(string libraryId, CancellationToken cancellationToken = default)
    {
        foreach (var table in TablesPartitionedByLibrary)
        {
            await tables.DeletePartitionAsync(table, libraryId, cancellationToken);
        }

        foreach (var name in TablesKeyedByLibraryPrefix)
        {
            // '}' follows '|' in ordinal order: the range is exactly the keys that start with "{libraryId}|".
            var table = await tables.GetAsync(name);
            var filter = TableClient.CreateQueryFilter($"PartitionKey ge {libraryId + "|"} and PartitionKey lt {libraryId + "}"}");
            await TableBatches.DeleteAllAsync(table, table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken), cancellationToken);
        }

        await messageCopies.DeleteLibraryAsync(libraryId, cancellationToken);
        await printFiles.DeleteLibraryAsync(libraryId, cancellationToken);
    }
}
