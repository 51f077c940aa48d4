namespace Comms.Templates;

/// <summary>
/// The results of the library system's automatic renewals for one patron: the items renewed (with the new
/// due date) and those that were not, with why. Flags are "true" or empty, for sections:
/// {{#reserved}}Another reader has reserved it.{{/reserved}}.
/// </summary>
/// <remarks>AnyRenewed and AnyNotRenewed let a template show each list's heading once, and only when it has items.</remarks>
public sealed record RenewalsModel(IReadOnlyList<RenewedItemModel> Renewed, IReadOnlyList<NotRenewedItemModel> NotRenewed, string AnyRenewed, string AnyNotRenewed, string AnyFinalRenewal);

/// <summary>DueDate is the new due date; FinalRenewal is "true" when the item cannot be renewed again.</summary>
public sealed record RenewedItemModel(string Title, string Author, string Barcode, string DueDate, string PreviousDueDate, string FinalRenewal);

/// <summary>Reason is the code ("tooManyRenewals", "reserved", "patronBlocked"); each has its own flag too.</summary>
public sealed record NotRenewedItemModel(string Title, string Author, string Barcode, string DueDate, string Reason, string TooManyRenewals, string Reserved, string PatronBlocked);

/// <summary>Why the library system did not renew a loan.</summary>
public enum RenewalRefusal
{
    TooManyRenewals,
    Reserved,
    PatronBlocked,
}

public sealed record RenewalFacts
{
    public IReadOnlyList<RenewedFacts> Renewed { get; init; } = [];
    public IReadOnlyList<NotRenewedFacts> NotRenewed { get; init; } = [];
}

public sealed record RenewedFacts
{
    public required string Title { get; init; }
    public string? Author { get; init; }
    public required string Barcode { get; init; }
    public required DateTimeOffset DueDate { get; init; }
    public required DateTimeOffset PreviousDueDate { get; init; }
    public bool FinalRenewal { get; init; }
}

public sealed record NotRenewedFacts
{
    public required string Title { get; init; }
    public string? Author { get; init; }
    public required string Barcode { get; init; }
    public required DateTimeOffset DueDate { get; init; }
    public required RenewalRefusal Reason { get; init; }
}
