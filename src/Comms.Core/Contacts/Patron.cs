using System.Text.Json.Serialization;
using Comms.Preferences;

namespace Comms.Contacts;

/// <summary>A borrower and the people who hear about their loans.</summary>
public sealed record Patron
{
    public required string Id { get; init; }
    public required string Name { get; init; }

    /// <summary>Patron group or academic level ("Year 7", "Staff"); libraries exclude groups per scenario.</summary>
    public string? Group { get; init; }

    /// <summary>BCP 47 language tag; falls back to the library's default language.</summary>
    public string? PreferredLanguage { get; init; }

    /// <summary>When on (opted out, deceased…), nothing is sent about this patron to anyone.</summary>
    public bool NoNotices { get; init; }

    public string? NoNoticesReason { get; init; }

    /// <summary>
    /// The patron's own mobile number (E.164), for a patron with no contacts: texted when a notice's email cannot reach
    /// them and the library's channel chain says so (docs/channels.md). A patron contact's own <see cref="Contact.Phone"/> wins.
    /// </summary>
    public string? Phone { get; init; }

    /// <summary>
    /// The patron's home branch (an id the library chooses, "central", "east"), for a library with branches: printed
    /// notices are batched per branch, so each branch prints and posts its own (docs/channels.md). Optional.
    /// </summary>
    public string? Branch { get; init; }

    /// <summary>
    /// The patron's postal address, lines separated by newlines, for a patron with no contacts: printed on the notice a
    /// reader neither email nor SMS reached (docs/channels.md). A patron contact's own <see cref="Contact.PostalAddress"/> wins.
    /// </summary>
    public string? PostalAddress { get; init; }

    public IReadOnlyList<Contact> Contacts { get; init; } = [];

    /// <summary>
    /// What the patron and their contacts chose (docs/preferences.md). Read with the patron from its own row, so the
    /// send path needs no other read; never part of the library system's patron JSON, so a PUT or an import cannot
    /// undo a patron's choice.
    /// </summary>
    [JsonIgnore]
    public PatronPreferences Preferences { get; init; } = PatronPreferences.None;
}

public sealed record Contact
{
    public required ContactRole Role { get; init; }
    public required string Name { get; init; }

    /// <summary>Optional: a contact without an address is logged as NoContact instead of being sent to.</summary>
    public string? Email { get; init; }

    /// <summary>Optional mobile number (E.164, "+447700900123"): the SMS fallback when the email cannot reach this contact.</summary>
    public string? Phone { get; init; }

    /// <summary>Optional postal address (lines separated by newlines): printed on this contact's printed notice.</summary>
    public string? PostalAddress { get; init; }

    public bool Active { get; init; } = true;
}
