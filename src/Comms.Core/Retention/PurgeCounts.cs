namespace Comms.Retention;

/// <summary>How many rows one purge deleted, by kind. Counts only: a purge never logs whose rows they were.</summary>
public sealed record PurgeCounts
{
    public static readonly PurgeCounts None = new();

    public int EmailLog { get; init; }
    public int EmailLogIndex { get; init; }

    /// <summary>The dashboard's per-day rows of days past the log's retention (EmailLogCounters, BlacklistGrowth).</summary>
    public int DashboardCounts { get; init; }
    public int BlacklistAudit { get; init; }
    public int Ledger { get; init; }
    public int LoanDigests { get; init; }
    public int Loans { get; init; }
    public int Reservations { get; init; }
    public int PasswordResetWindows { get; init; }
    public int OutboxNotices { get; init; }

    /// <summary>Redacted copies of sent messages (blobs, MessageCopies).</summary>
    public int MessageCopies { get; init; }

    /// <summary>Print batches past the log's retention: their rows, items and PDFs (Print/PrintRetention).</summary>
    public int PrintRecords { get; init; }

    public int Total => EmailLog + EmailLogIndex + DashboardCounts + BlacklistAudit + Ledger + LoanDigests + Loans + Reservations + PasswordResetWindows + OutboxNotices + MessageCopies + PrintRecords;

    public static PurgeCounts operator +(PurgeCounts a, PurgeCounts b) => new()
    {
        EmailLog = a.EmailLog + b.EmailLog,
        EmailLogIndex = a.EmailLogIndex + b.EmailLogIndex,
        DashboardCounts = a.DashboardCounts + b.DashboardCounts,
        BlacklistAudit = a.BlacklistAudit + b.BlacklistAudit,
        Ledger = a.Ledger + b.Ledger,
        LoanDigests = a.LoanDigests + b.LoanDigests,
        Loans = a.Loans + b.Loans,
        Reservations = a.Reservations + b.Reservations,
        PasswordResetWindows = a.PasswordResetWindows + b.PasswordResetWindows,
        OutboxNotices = a.OutboxNotices + b.OutboxNotices,
        MessageCopies = a.MessageCopies + b.MessageCopies,
        PrintRecords = a.PrintRecords + b.PrintRecords,
    };
}

/// <summary>
/// One run of the purge: how many libraries it finished and how many failed (logged; tried again next run),
/// what it deleted, and whether it reached the last library before its deadline.
/// </summary>
public sealed record PurgeRun(int Libraries, int FailedLibraries, PurgeCounts Deleted, bool Completed);
