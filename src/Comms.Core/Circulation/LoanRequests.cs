namespace Comms.Circulation;

/// <summary>
/// POST /loans body: one loan (loanId, patronId, title, dueAt...) or a checkout session
/// (patronId and a "loans" list).
/// </summary>
public sealed record IssueLoansRequest
{
    public string? LoanId { get; init; }
    public string? PatronId { get; init; }
    public string? Title { get; init; }
    public string? Author { get; init; }
    public string? Barcode { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public string? LastNoticeSent { get; init; }
    public decimal? ReplacementCost { get; init; }
    public decimal? LostFee { get; init; }
    public IReadOnlyList<LoanItem>? Loans { get; init; }
}

public sealed record LoanItem
{
    public string? LoanId { get; init; }
    public string? Title { get; init; }
    public string? Author { get; init; }
    public string? Barcode { get; init; }
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>An imported loan's last ladder step already sent by the previous system (see <see cref="Loan.LastNoticeSent"/>).</summary>
    public string? LastNoticeSent { get; init; }

    /// <summary>What the item costs to replace and any lost-item fee, for a declared-lost notice (see docs/charges.md).</summary>
    public decimal? ReplacementCost { get; init; }

    public decimal? LostFee { get; init; }
}

public sealed record RenewLoanRequest
{
    public DateTimeOffset? DueAt { get; init; }
}

/// <summary>POST …/return body (optional): for a lost item, what the library system still charges after the return.</summary>
public sealed record ReturnLoanRequest
{
    public decimal? RemainingCharge { get; init; }
}

public sealed record RecallLoanRequest
{
    public DateTimeOffset? NewDueAt { get; init; }
    public string? Reason { get; init; }
}

/// <summary>
/// A recall as stored: the loan after it, the date the reader is asked to return by, and whether the due date
/// moved there (then the ladder starts again from it).
/// </summary>
public sealed record LoanRecall(Loan Loan, DateTimeOffset ReturnBy, bool DueMoved);

/// <summary>What happened to each posted loan: created now, or already known (nothing new started).</summary>
public sealed record IssuedLoan(Loan Loan, bool Created);
