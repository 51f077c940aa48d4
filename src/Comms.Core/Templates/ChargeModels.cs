namespace Comms.Templates;

/// <summary>
/// A lost item's charges, a return that adjusts them, or a payment. Every amount is already written in the
/// library's currency for the reader's locale ("£12.50", "12,50 €"); an amount that does not apply is empty,
/// and so are a remaining charge and a balance of zero, so a template can test them with a section
/// ({{#charges.balance}}Still to pay: {{charges.balance}}{{/charges.balance}}{{^charges.balance}}Nothing more is owed.{{/charges.balance}}).
/// </summary>
/// <remarks>AnyLines is "true" when Lines has an item, so a template can show a table's heading once.</remarks>
public sealed record ChargesModel(IReadOnlyList<ChargeLineModel> Lines, string AnyLines, string Total, string Remaining, string Paid, string Balance, string Currency);

/// <summary>One item with what the library system charges for it: replacement cost, fee, and their sum.</summary>
public sealed record ChargeLineModel(string Title, string Author, string Barcode, string DueDate, string ReplacementCost, string Fee, string Amount);

/// <summary>The charges as the library system sent them, before formatting; the currency is the library's.</summary>
public sealed record ChargeFacts
{
    public IReadOnlyList<ChargeLineFacts> Lines { get; init; } = [];
    public decimal? Remaining { get; init; }
    public decimal? Paid { get; init; }
    public decimal? Balance { get; init; }
}

public sealed record ChargeLineFacts
{
    public required string Title { get; init; }
    public string? Author { get; init; }
    public required string Barcode { get; init; }
    public required DateTimeOffset DueDate { get; init; }
    public decimal? ReplacementCost { get; init; }
    public decimal? Fee { get; init; }
}
