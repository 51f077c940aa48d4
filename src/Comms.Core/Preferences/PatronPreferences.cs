using Comms.Common;
using Comms.Contacts;
using Comms.Scenarios;

namespace Comms.Preferences;

/// <summary>
/// What a patron (and each of their contacts) chose to hear about. Only what differs from "everything on" is
/// stored: the scenarios turned off. Kept in the patron's own row (<see cref="PatronStore"/>), so erasing the
/// patron erases it, but never written by the library system's patron PUT or import.
/// </summary>
public sealed record PatronPreferences
{
    public static readonly PatronPreferences None = new();

    /// <summary>The language the patron reads notices in; overrides the library system's <c>preferredLanguage</c>.</summary>
    public string? Language { get; init; }

    /// <summary>
    /// How many days before due the patron's pre-overdue reminder comes, within the library's range
    /// (<see cref="CourtesyDays"/>); null: the library's own <c>timing.preOverdueDaysBefore</c>. One per patron, not per
    /// contact: a loan has one ladder, and the patron's contacts hear about its steps when it reaches them.
    /// </summary>
    public int? PreOverdueDaysBefore { get; init; }

    /// <summary>
    /// Whether loans reaching the same ladder step together come as one digest (the default) or one email per loan
    /// (<see cref="NoticeDelivery"/>). The patron's own notices only: a contact's email across patrons stays one.
    /// </summary>
    public NoticeDelivery Delivery { get; init; }

    /// <summary>Scenarios the patron turned off for themselves (their own contact, role <c>patron</c>).</summary>
    public IReadOnlyList<Scenario> Off { get; init; } = [];

    /// <summary>The patron's other contacts' own choices, by address.</summary>
    public IReadOnlyList<ContactPreferences> Contacts { get; init; } = [];

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Self-service links issued before this instant no longer open the page (the library revoked them).</summary>
    public DateTimeOffset? LinksRevokedAt { get; init; }

    /// <summary>The latest changes, newest first (at most <see cref="MaxAudit"/>): who, when, what.</summary>
    public IReadOnlyList<PreferenceChange> Audit { get; init; } = [];

    public const int MaxAudit = 100;

    public ContactPreferences? ContactFor(string? address) =>
        EmailAddress.TryNormalize(address, out var normal)
            ? Contacts.FirstOrDefault(c => EmailAddress.Key(c.Email) == EmailAddress.Key(normal))
            : null;

    /// <summary>
    /// Whether this recipient turned the scenario off: the patron's own switch for their own contact, and the
    /// contact's switch for the address it is sent to (a patron's own address may carry both).
    /// </summary>
    public bool TurnsOff(ContactRole? role, string? address, Scenario scenario) =>
        ((role is null or ContactRole.Patron) && Off.Contains(scenario))
        || (ContactFor(address)?.Off.Contains(scenario) ?? false);

    /// <summary>The language a recipient reads: the contact's own choice, else the patron's, else <paramref name="fallback"/>.</summary>
    public string? LanguageFor(string? address, string? fallback) => ContactFor(address)?.Language ?? Language ?? fallback;
}

public sealed record ContactPreferences
{
    /// <summary>The contact's address in normal form: the preference follows the address mail goes to.</summary>
    public required string Email { get; init; }

    public string? Language { get; init; }

    public IReadOnlyList<Scenario> Off { get; init; } = [];
}

/// <summary>One audited change: when, by whom ("admin", "key:…", "unsubscribe-link") and what, in words.</summary>
public sealed record PreferenceChange(DateTimeOffset At, string By, IReadOnlyList<string> Changes);

/// <summary>How a patron hears about several loans that reach one ladder step (pre-overdue, overdue, escalation) together.</summary>
public enum NoticeDelivery
{
    /// <summary>One email listing every loan (the default).</summary>
    Digest,

    /// <summary>One email per loan.</summary>
    PerItem,
}
