using Comms.Contacts;
using Comms.Scenarios;

namespace Comms.Libraries;

/// <summary>A library (or school) and its own rules for every notice it sends.</summary>
public sealed record Library
{
    public required string Id { get; init; }
    public required string Name { get; init; }

    /// <summary>IANA time zone id ("Europe/London"); notices go at <see cref="SendTime"/> in this zone.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>Local time of day at which scheduled notices are sent.</summary>
    public TimeOnly SendTime { get; init; } = new(9, 0);

    public required string FromAddress { get; init; }

    /// <summary>
    /// Whether the provider has verified <see cref="FromAddress"/>. If not, mail goes from the platform
    /// sender with the library's address as Reply-To, so it is not rejected or marked as spoofed.
    /// </summary>
    public bool FromAddressVerified { get; init; }

    /// <summary>Several recipients of one notice get one message with BCC instead of one message each.</summary>
    public bool BccMultipleRecipients { get; init; }

    public string DefaultLanguage { get; init; } = "en";

    /// <summary>Provider name (Ses, Acs, Smtp, Pickup); null means the platform default.</summary>
    public string? Provider { get; init; }

    /// <summary>Used only for provider-level failures after retries, never for a recipient's rejection.</summary>
    public string? FailoverProvider { get; init; }

    /// <summary>Days the library is closed; a notice due on one moves to the next open day.</summary>
    public IReadOnlyList<DateOnly> ClosedDates { get; init; } = [];

    public NoticeTiming Timing { get; init; } = new();

    /// <summary>
    /// ISO 4217 code of the library's charges ("GBP"); null: the currency of the library's region (its default
    /// language's region, else its time zone's), as <see cref="Templates.MoneyText.CurrencyOf"/> says.
    /// </summary>
    public string? Currency { get; init; }

    /// <summary>No SMS goes out in these local hours (default 21:00-08:00); one due then waits for their end (docs/channels.md).</summary>
    public Sms.QuietHours SmsQuietHours { get; init; } = new();

    /// <summary>Per-scenario switches, recipients and exclusions; a scenario missing here uses the defaults.</summary>
    public IReadOnlyDictionary<Scenario, ScenarioSettings> Scenarios { get; init; } = LibraryDefaults.Scenarios();

    public ScenarioSettings SettingsFor(Scenario scenario) =>
        Scenarios.TryGetValue(scenario, out var settings) ? settings : LibraryDefaults.For(scenario);
}

/// <summary>When each step of the circulation and reservation ladders falls.</summary>
public sealed record NoticeTiming
{
    /// <summary>Pre-overdue reminder this many days before the due date.</summary>
    public int PreOverdueDaysBefore { get; init; } = 3;

    /// <summary>
    /// The fewest and most days before due a patron may ask for the pre-overdue reminder (their preference,
    /// docs/preferences.md); a patron who chose nothing gets <see cref="PreOverdueDaysBefore"/>.
    /// </summary>
    public int PreOverdueDaysBeforeMin { get; init; } = 1;

    /// <inheritdoc cref="PreOverdueDaysBeforeMin"/>
    public int PreOverdueDaysBeforeMax { get; init; } = 7;

    /// <summary>Overdue notice this many days after the due date (0 = on the due date's next send time).</summary>
    public int OverdueGraceDays { get; init; } = 1;

    /// <summary>Escalation level k is sent this many days after the due date; strictly increasing.</summary>
    public IReadOnlyList<int> EscalationDaysAfterDue { get; init; } = [7, 14, 28];

    /// <summary>Reservation "expiring" reminder this many days before the pickup-by date.</summary>
    public int ReservationExpiringDaysBefore { get; init; } = 2;

    /// <summary>
    /// A recall without a new due date asks for the item back within this many days (at the send time of an
    /// open day); the loan's due date moves there unless it is due sooner.
    /// </summary>
    public int RecallReturnDays { get; init; } = 7;

    /// <summary>
    /// The ladder ends with the "declared lost" notice this many days after the due date, listing each item's
    /// replacement cost and fee; 0 (the default) ends it with the last escalation.
    /// </summary>
    public int DeclaredLostDaysAfterDue { get; init; }

    /// <summary>The card-expiring notice goes this many days before a patron's card expires (1-365).</summary>
    public int CardExpiryDaysBefore { get; init; } = 30;
}

public sealed record ScenarioSettings
{
    public bool Enabled { get; init; } = true;
    public IReadOnlyList<ContactRole> Roles { get; init; } = [ContactRole.Patron];
    public IReadOnlyList<string> ExcludedPatronGroups { get; init; } = [];

    /// <summary>
    /// Whether a patron or contact may turn this scenario off (docs/preferences.md). Null: the default, mandatory
    /// for overdue, escalation, recall, password reset and declared lost (<see cref="Preferences.MandatoryScenarios"/>).
    /// </summary>
    public bool? Mandatory { get; init; }

    /// <summary>
    /// The channels tried in order for a reader the one before could not reach (no, invalid or blacklisted address, or a
    /// permanent failure): always starting with email, print (if listed) last. Null: email, SMS, then print for mandatory
    /// scenarios that have SMS and print texts, email only for the rest (<see cref="Sms.ChannelChain"/>).
    /// </summary>
    public IReadOnlyList<Delivery.NoticeChannel>? Channels { get; init; }

    /// <summary>How parents, teachers and heads of school hear about many patrons at once (ladder steps only).</summary>
    public ContactDigestSettings ContactDigests { get; init; } = new();
}

/// <summary>
/// The shape of the one email a shared contact gets per ladder step (docs/circulation.md, "Contacts of many
/// patrons"). Levels are escalation levels: 0 means every step of the scenario.
/// </summary>
public sealed record ContactDigestSettings
{
    /// <summary>Teachers get their class list only from this escalation level upward (0: at every step they receive).</summary>
    public int ClassListFromLevel { get; init; }

    /// <summary>
    /// The head of school's summary lists students by name only from this escalation level upward; below it, counts
    /// per class only. 0 (the default) means the library's last escalation level.
    /// </summary>
    public int SummaryListFromLevel { get; init; }

    /// <summary>
    /// The head of school gets one summary a week (on <see cref="SummaryWeekday"/> at the library's send time) of
    /// the loans that reached this scenario's steps since the last one, instead of one per step.
    /// </summary>
    public bool SummaryWeekly { get; init; }

    public DayOfWeek SummaryWeekday { get; init; } = DayOfWeek.Monday;
}
