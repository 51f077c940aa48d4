namespace Comms.Contacts;

/// <summary>A bookseller or distributor that receives purchase orders by email.</summary>
public sealed record Supplier
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public IReadOnlyList<string> OrderEmails { get; init; } = [];
}
