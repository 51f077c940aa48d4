namespace Comms.Preferences;

/// <summary>
/// The library system's (or a patron's) whole choice for one patron, as the API takes it: a PUT replaces what was
/// stored, and a scenario it does not name is on. Scenario names are <see cref="MandatoryScenarios.Name"/>'s.
/// </summary>
public sealed record PreferencesInput
{
    /// <summary>Only in a bulk item (which patron); in a PUT, when given, it must match the URL.</summary>
    public string? PatronId { get; init; }

    public string? Language { get; init; }

    /// <summary>Days before due for the pre-overdue reminder, within the library's range; null: the library's.</summary>
    public int? PreOverdueDaysBefore { get; init; }

    /// <summary>"digest" (the default) or "perItem"; a string here, so a wrong value is a field error rather than a body error.</summary>
    public string? Delivery { get; init; }

    /// <summary>Scenario name → on (true) or off (false), for the patron's own contact.</summary>
    public IReadOnlyDictionary<string, bool>? Scenarios { get; init; }

    public IReadOnlyList<ContactPreferencesInput>? Contacts { get; init; }
}

public sealed record ContactPreferencesInput
{
    /// <summary>One of the patron's contacts' addresses.</summary>
    public string? Email { get; init; }

    public string? Language { get; init; }

    public IReadOnlyDictionary<string, bool>? Scenarios { get; init; }
}

/// <summary>A bulk set: up to <see cref="PreferenceService.MaxBulkItems"/> patrons, all validated before any is written.</summary>
public sealed record PreferencesBulkInput
{
    public IReadOnlyList<PreferencesInput>? Items { get; init; }
}

/// <summary>What GET answers: every patron-facing scenario with its state, which of them the library makes mandatory, the audit.</summary>
public sealed record PreferencesView(
    string PatronId,
    string? Language,
    int? PreOverdueDaysBefore,
    CourtesyDaysRange PreOverdueDaysBeforeRange,
    NoticeDelivery Delivery,
    IReadOnlyDictionary<string, bool> Scenarios,
    IReadOnlyList<string> Mandatory,
    IReadOnlyList<ContactPreferencesView> Contacts,
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<PreferenceChange> Audit);

/// <summary>One contact of the patron with an address, and what it chose.</summary>
public sealed record ContactPreferencesView(string Email, string Role, string Name, string? Language, IReadOnlyDictionary<string, bool> Scenarios)
{
    /// <summary>What this address turned off as a contact of every patron (a household, class or summary email's link).</summary>
    public IReadOnlyList<string> OffForAllPatrons { get; init; } = [];
}

/// <summary>What a patron may choose for the pre-overdue reminder: <see cref="Min"/>-<see cref="Max"/> days, <see cref="Default"/> when they choose nothing.</summary>
public sealed record CourtesyDaysRange(int Min, int Max, int Default);
