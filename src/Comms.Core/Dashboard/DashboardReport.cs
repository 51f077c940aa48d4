namespace Comms.Dashboard;

/// <summary>
/// A library's sending at a glance: log rows per UTC day by status, the provider health rates and what needs a look.
/// Counts are of email log rows (one per attempt per recipient), the same rows the email log lists.
/// </summary>
public sealed record DashboardReport
{
    /// <summary>First UTC day covered (inclusive); the last is today.</summary>
    public required DateOnly From { get; init; }

    public required DateOnly To { get; init; }

    /// <summary>The scenario the per-day series is limited to, or null for every scenario.</summary>
    public string? Scenario { get; init; }

    /// <summary>One entry per day, oldest first, days without rows included (all zero).</summary>
    public required IReadOnlyList<DashboardDay> Days { get; init; }

    /// <summary>Bounce and complaint rates over the whole range and every scenario: the provider judges the account, not a scenario.</summary>
    public required SendingHealth Health { get; init; }

    /// <summary>Rows that did not reach the reader and may need staff (failed, invalid address), over the range, every scenario.</summary>
    public required IReadOnlyDictionary<string, int> NeedsAttention { get; init; }

    /// <summary>
    /// True when the scan stopped at <see cref="DashboardService.MaxRows"/>: the newest rows are counted, the oldest
    /// days are incomplete (and say so in the page).
    /// </summary>
    public bool Truncated { get; init; }

    /// <summary>The oldest UTC day whose rows were all counted, when <see cref="Truncated"/>.</summary>
    public DateOnly? CompleteFrom { get; init; }

    /// <summary>Addresses of the library's contacts blacklisted per UTC day (by a report on the library's email), oldest first.</summary>
    public required IReadOnlyList<DashboardCount> BlacklistAdded { get; init; }

    /// <summary>True when <see cref="BlacklistAdded"/> stopped at <see cref="Suppression.BlacklistGrowth.MaxRows"/>.</summary>
    public bool BlacklistAddedTruncated { get; init; }

    /// <summary>The loans' steps planned for the next send time, or null when no loan has a step planned.</summary>
    public PlannedNotices? Planned { get; init; }
}

/// <summary>One UTC day's count.</summary>
public sealed record DashboardCount(DateOnly Date, int Count);

/// <summary>
/// The next send time (UTC, and the library's local wall-clock time and zone) and how many loans reach each ladder
/// step then, every scenario. Loans, not emails: a reader's loans of one step go in one email.
/// </summary>
public sealed record PlannedNotices(DateTimeOffset At, DateTime LocalTime, string TimeZone, IReadOnlyDictionary<string, int> Scenarios, bool Truncated)
{
    public int Total => Scenarios.Values.Sum();
}

/// <summary>One UTC day: rows per status name (camelCase, as the email log shows them); statuses with none are left out.</summary>
public sealed record DashboardDay(DateOnly Date, IReadOnlyDictionary<string, int> Statuses)
{
    public int Total => Statuses.Values.Sum();
}

/// <summary>
/// Bounce and complaint rates against Amazon SES's thresholds: SES reviews an account at 5 % bounces or 0.1 %
/// complaints and may pause its sending at 10 % / 0.5 %. The rates are over messages the provider accepted.
/// </summary>
public sealed record SendingHealth(int Accepted, int Bounced, int Complained)
{
    public const double BounceReview = 0.05;
    public const double BouncePause = 0.10;
    public const double ComplaintReview = 0.001;
    public const double ComplaintPause = 0.005;

    public double BounceRate => Accepted == 0 ? 0 : (double)Bounced / Accepted;

    public double ComplaintRate => Accepted == 0 ? 0 : (double)Complained / Accepted;

    /// <summary>"ok", "review" or "pause": the worse of the two rates against its thresholds.</summary>
    public string Level => Rank(BounceRate, BounceReview, BouncePause) >= Rank(ComplaintRate, ComplaintReview, ComplaintPause)
        ? Name(Rank(BounceRate, BounceReview, BouncePause))
        : Name(Rank(ComplaintRate, ComplaintReview, ComplaintPause));

    public Thresholds BounceThresholds => new(BounceReview, BouncePause);

    public Thresholds ComplaintThresholds => new(ComplaintReview, ComplaintPause);

    private static int Rank(double rate, double review, double pause) => rate >= pause ? 2 : rate >= review ? 1 : 0;

    private static string Name(int rank) => rank switch { 2 => "pause", 1 => "review", _ => "ok" };
}

public sealed record Thresholds(double Review, double Pause);
