using Comms.Notices;

namespace Comms.Circulation;

public enum LoanStatus
{
    Active,
    Returned,

    /// <summary>Declared lost (by the library system, or by the last step of the ladder) and not yet returned.</summary>
    Lost,
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

    /// <summary>What the library system charges if the item is lost, in the library's currency (null: not said).</summary>
    public decimal? ReplacementCost { get; init; }

    /// <summary>A lost-item fee on top of the replacement cost, in the library's currency (null: none).</summary>
    public decimal? LostFee { get; init; }

    /// <summary>When the loan was declared lost; it stays set after a return, which is how a return knows to adjust the charge.</summary>
    public DateTimeOffset? LostAt { get; init; }

    /// <summary>The due date before the library system last shortened the loan (null: never shortened).</summary>
    public DateTimeOffset? ShortenedFrom { get; init; }

    public LoanFact ToFact() => new(LoanId, Title, Author, Barcode, DueAt, ReplacementCost, LostFee);
}

/// <summary>Durable instance ids derived from library and loan, so the same loan always maps to one orchestration.</summary>
public static class LoanInstanceIds
{
    public static string For(string libraryId, string loanId) => $"loan:{libraryId}:{loanId}";
}
