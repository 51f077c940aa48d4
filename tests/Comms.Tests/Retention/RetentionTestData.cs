using Azure.Data.Tables;
using Comms.Circulation;
using Comms.EmailLog;
using Comms.Reservations;
using Comms.Storage;

namespace Comms.Tests.Retention;

/// <summary>Records of known age for the retention tests, and raw row counts to check what is left.</summary>
public static class RetentionTestData
{
    /// <summary>The instant the purge runs "as of" in these tests; records are placed around its cutoffs.</summary>
    public static readonly DateTimeOffset Now = new(2027, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static EmailLogEntry LogEntry(string libraryId, DateTimeOffset time, string? providerMessageId = null, string? patronId = "p1", string address = "p1@pupils.example.org") => new()
    {
        Id = EmailLogStore.NewId(time),
        Time = time,
        LibraryId = libraryId,
        Scenario = "overdue",
        NoticeId = "n-" + Guid.NewGuid().ToString("N")[..8],
        Address = address,
        RecipientName = "Ada Lovelace",
        PatronId = patronId,
        Subject = "Ada, your book is overdue",
        Preview = "Dear Ada, The Analytical Engine was due back on Monday.",
        Provider = providerMessageId is null ? null : "Ses",
        ProviderMessageId = providerMessageId,
        Status = providerMessageId is null ? EmailStatus.Failed : EmailStatus.Sent,
        Reason = providerMessageId is null ? $"550 {address}: mailbox unavailable" : null,
    };

    public static Loan Loan(string libraryId, string loanId, string patronId, DateTimeOffset? returnedAt) => new()
    {
        LibraryId = libraryId,
        LoanId = loanId,
        PatronId = patronId,
        Title = "The Analytical Engine",
        IssuedAt = Now.AddDays(-500),
        DueAt = Now.AddDays(-480),
        Status = returnedAt is null ? LoanStatus.Active : LoanStatus.Returned,
        ReturnedAt = returnedAt,
    };

    public static Reservation Reservation(string libraryId, string reservationId, ReservationStatus status, DateTimeOffset? closedAt) => new()
    {
        LibraryId = libraryId,
        ReservationId = reservationId,
        PatronId = "p1",
        Title = "Notes on the Engine",
        PlacedAt = Now.AddDays(-500),
        Status = status,
        ClosedAt = closedAt,
    };

    public static async Task<int> CountAsync(CommsTables tables, string table, string? filter = null)
    {
        var client = await tables.GetAsync(table);
        var count = 0;
        await foreach (var _ in client.QueryAsync<TableEntity>(filter, select: ["PartitionKey"]))
        {
            count++;
        }

        return count;
    }

    public static string InPartition(string partition) => TableClient.CreateQueryFilter($"PartitionKey eq {partition}");

    /// <summary>The message-index rows of one provider message (a scan: the MessageId column, whatever the row's bucket).</summary>
    public static string IndexRowsOf(string providerMessageId) => TableClient.CreateQueryFilter($"MessageId eq {providerMessageId}");

    /// <summary>Digest partitions of one library: they start with "{library}|".</summary>
    public static string DigestsOf(string libraryId) =>
        TableClient.CreateQueryFilter($"PartitionKey ge {libraryId + "|"} and PartitionKey lt {libraryId + "}"}");
}
