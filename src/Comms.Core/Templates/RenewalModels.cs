namespace Comms.Templates;

/// <summary>
/// The results of the library system's automatic renewals for one patron, renewed items first. Flags are "true"
/// or empty, for sections: {{#renewals.items}}{{#reserved}}Another reader has reserved it.{{/reserved}}{{/renewals.items}}.
/// AnyRenewed and AnyNotRenewed let a template show each table's heading once, only when it has rows.
/// </summary>
public sealed record RenewalsModel(IReadOnlyList<RenewalItemModel> Items, string AnyRenewed, string AnyNotRenewed, string AnyFinalRenewal);

/// <summary>
/// One loan's result. DueDate is the due date now (the new one when renewed); PreviousDueDate the one before.
/// Renewed or NotRenewed is "true"; FinalRenewal says a renewed item cannot be renewed again; Reason is the code
/// of a refusal ("tooManyRenewals", "reserved", "patronBlocked"), each with its own flag too.
/// </summary>
public sealed record RenewalItemModel(
    string Title,
    string Author,
    string Barcode,
    string DueDate,
    string PreviousDueDate,
    string Renewed,
    string FinalRenewal,
    string NotRenewed,
    string Reason,
    string TooManyRenewals,
    string Reserved,
    string PatronBlocked);

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
