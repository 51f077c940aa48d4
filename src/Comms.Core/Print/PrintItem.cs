using Comms.Contacts;

namespace Comms.Print;

/// <summary>
/// One printed notice waiting for (or in) a print batch: the rendered letter (never a secret: a password reset is never
/// printed), who it is for and where to post it. Its id is the notice's print ledger id, so a retried step stores the same
/// item once.
/// </summary>
public sealed record PrintItem
{
    public required string Id { get; init; }
    public required string LibraryId { get; init; }

    /// <summary>The patron's branch; items of one branch are batched together (null: the library's own batch).</summary>
    public string? Branch { get; init; }

    /// <summary>The scenario with its level ("escalation-2").</summary>
    public required string Scenario { get; init; }

    public string? SubjectRecordId { get; init; }
    public string? PatronId { get; init; }
    public required string RecipientName { get; init; }
    public ContactRole? Role { get; init; }

    /// <summary>The postal address, lines separated by newlines; null when the engine has none (staff address it by hand).</summary>
    public string? PostalAddress { get; init; }

    public required string Heading { get; init; }
    public required string Body { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The batch that printed (or will print) it; null while it waits for the next batch.</summary>
    public string? BatchId { get; init; }

    /// <summary>The id of its email log row (channel print), whose status becomes Printed when staff confirm.</summary>
    public string? LogEntryId { get; init; }

    public DateTimeOffset? PrintedAt { get; init; }
}
