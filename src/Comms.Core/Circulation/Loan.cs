using Comms.Notices;

namespace Comms.Circulation;

public enum LoanStatus
{
    Active,
    Returned,
}

/// <summary>
/// A loan as the library system reported it. The table row is the source of truth for due date and status:
/// the HTTP API answers 404 / 409 from it at once, and the digest checks it before listing a loan.
/// </summary>
public sealed record Loan
{
    public required string LibraryId { get; init; }
    public required string LoanId { get; init; }
    public required string PatronId { get; init; }
    public required string Title { get; init; }
    public string? Author { get; init; }
    public string? Barcode { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>
    /// For a loan imported from another system: the last ladder step that system sent ("overdue",
    /// "escalation-2"); the ladder continues from the step after it. Null: none.
    /// </summary>
    public string? LastNoticeSent { get; init; }
    public LoanStatus Status { get; init; } = LoanStatus.Active;
    public DateTimeOffset? ReturnedAt { get; init; }

    public LoanFact ToFact() => new(LoanId, Title, Author, Barcode, DueAt);
}

/// <summary>Durable instance ids derived from library and loan, so the same loan always maps to one orchestration.</summary>
public static class LoanInstanceIds
{
    public static string For(string libraryId, string loanId) => $"loan:{libraryId}:{loanId}";
}
