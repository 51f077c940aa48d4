using Comms.Libraries;
using Comms.Scenarios;

namespace Comms.Circulation;

/// <summary>One rung of a loan's ladder: which notice, when (UTC), and the library-local date it belongs to.</summary>
public sealed record LadderStep(ScenarioKey Step, DateTimeOffset FireAt, DateOnly ScheduledFor);

/// <summary>How an imported loan's ladder resumes: the steps already sent before it arrived, and how many days later every step falls.</summary>
public sealed record LadderResume(IReadOnlyList<LadderStep> Before, int ShiftDays);

/// <summary>The library settings the ladder depends on, read fresh before each step.</summary>
public sealed record LadderPolicy
{
    public string TimeZone { get; init; } = "UTC";
    public TimeOnly SendTime { get; init; } = new(9, 0);
    public IReadOnlyList<DateOnly> ClosedDates { get; init; } = [];
    public NoticeTiming Timing { get; init; } = new();
    public bool PreOverdueEnabled { get; init; } = true;
    public bool OverdueEnabled { get; init; } = true;
    public bool EscalationEnabled { get; init; } = true;
    public bool DeclaredLostEnabled { get; init; } = true;
    public TimeSpan DayLength { get; init; } = TimeSpan.FromDays(1);

    public static LadderPolicy From(Library library, TimeSpan dayLength) => new()
    {
        TimeZone = library.TimeZone,
        SendTime = library.SendTime,
        ClosedDates = library.ClosedDates,
        Timing = library.Timing,
        PreOverdueEnabled = library.SettingsFor(Scenario.PreOverdue).Enabled,
        OverdueEnabled = library.SettingsFor(Scenario.Overdue).Enabled,
        EscalationEnabled = library.SettingsFor(Scenario.Escalation).Enabled,
        DeclaredLostEnabled = library.SettingsFor(Scenario.DeclaredLost).Enabled,
        DayLength = dayLength,
    };
}

/// <summary>
/// Pure ladder arithmetic: pre-overdue N days before due, overdue at due + grace days, escalation level k at
/// due + days_k, each at the library's send time in its zone and moved off closed dates to the next open day.
/// </summary>
public static class LoanLadder
{
    private const int MaxClosedRun = 366;

    /// <param name="policy">The library's settings.</param>
    /// <param name="dueAt">The loan's due date.</param>
    /// <param name="shiftDays">Days every step moves later (see <see cref="Resume"/>); the due date itself does not move.</param>
    public static IReadOnlyList<LadderStep> Compute(LadderPolicy policy, DateTimeOffset dueAt, int shiftDays = 0)
    {
        var zone = LibraryTime.Zone(policy.TimeZone);
        var calendar = policy.DayLength == TimeSpan.FromDays(1);
        var steps = new List<LadderStep>();
        var timing = policy.Timing;

        if (policy.PreOverdueEnabled && timing.PreOverdueDaysBefore > 0)
        {
            var days = shiftDays - timing.PreOverdueDaysBefore;
            var pre = calendar ? OnOpenDay(policy, zone, dueAt, days) : Scaled(policy, zone, dueAt, days);
            // A reminder moved past the due date by closed days would arrive as an overdue notice in disguise: drop it.
            // A moved ladder belongs to a loan already past the reminder (see Resume): it has none.
            if (pre.FireAt < dueAt && shiftDays == 0)
            {
                steps.Add(pre with { Step = new ScenarioKey(Scenario.PreOverdue) });
            }
        }

        if (policy.OverdueEnabled)
        {
            steps.Add(After(policy, zone, dueAt, shiftDays + timing.OverdueGraceDays, calendar) with { Step = new ScenarioKey(Scenario.Overdue) });
        }

        if (policy.EscalationEnabled)
        {
            var levels = Math.Min(timing.EscalationDaysAfterDue.Count, ScenarioKey.MaxEscalationLevels);
            for (var level = 1; level <= levels; level++)
            {
                var days = shiftDays + timing.EscalationDaysAfterDue[level - 1];
                steps.Add(After(policy, zone, dueAt, days, calendar) with { Step = new ScenarioKey(Scenario.Escalation, level) });
            }
        }

        // A library that charges for lost items ends its ladder with the declared-lost notice.
        if (policy.DeclaredLostEnabled && timing.DeclaredLostDaysAfterDue > 0)
        {
            steps.Add(After(policy, zone, dueAt, shiftDays + timing.DeclaredLostDaysAfterDue, calendar) with { Step = new ScenarioKey(Scenario.DeclaredLost) });
        }

        // Closed days can make two steps share an instant; the ladder order breaks the tie.
        return [.. steps.Select((s, i) => (s, i)).OrderBy(x => x.s.FireAt).ThenBy(x => x.i).Select(x => x.s)];
    }

    /// <summary>
    /// The next step to wait for: not sent yet, not before <paramref name="notBefore"/> (when the loan
    /// arrived or was renewed or recalled: steps already past then are skipped) and not before the last step
    /// sent (a settings change never reaches back in time).
    /// </summary>
    public static LadderStep? Next(IReadOnlyList<LadderStep> ladder, DateTimeOffset notBefore, IReadOnlyCollection<string> sent, DateTimeOffset? lastSentAt) =>
        ladder.FirstOrDefault(s => s.FireAt >= notBefore
            && (lastSentAt is null || s.FireAt >= lastSentAt)
            && !sent.Contains(s.Step.ToString()));

    /// <summary>
    /// Where the ladder of a loan that arrives with history picks up: a loan imported from another system with
    /// <paramref name="lastSent"/> (the last step that system sent), or one already past its due date. Steps up to
    /// and including <paramref name="lastSent"/> count as sent (<see cref="LadderResume.Before"/>); for a loan past
    /// its due date the pre-overdue reminder is pointless and never planned. The first remaining step goes at its
    /// own time if that is still ahead, otherwise at the first send time from <paramref name="now"/>: the whole
    /// ladder moves later by <see cref="LadderResume.ShiftDays"/> whole days, so the steps after it keep their
    /// spacing instead of all falling due at once.
    /// </summary>
    public static LadderResume Resume(LadderPolicy policy, DateTimeOffset dueAt, DateTimeOffset now, ScenarioKey? lastSent)
    {
        var ladder = Compute(policy, dueAt);
        var lastRank = lastSent is { } last ? Rank(last) : -1;
        var before = ladder.Where(s => Rank(s.Step) <= lastRank).ToList();
        var first = ladder.FirstOrDefault(s => Rank(s.Step) > lastRank && !(s.Step.Scenario == Scenario.PreOverdue && dueAt <= now));

        // A reminder already past for a loan not yet due is skipped, as for any loan that arrives late.
        if (first is null || first.FireAt >= now || first.Step.Scenario == Scenario.PreOverdue)
        {
            return new LadderResume(before, 0);
        }

        // Whole days late, less a margin for daylight saving and closed days, then the first shift that lands on or after now.
        var shift = Math.Max(1, (int)Math.Floor((now - first.FireAt) / policy.DayLength) - 2);
        while (Compute(policy, dueAt, shift).Single(s => s.Step == first.Step).FireAt < now)
        {
            shift++;
        }

        return new LadderResume(before, shift);
    }

    /// <summary>A ladder step's place: pre-overdue, overdue, then escalation levels in order.</summary>
    public static int Rank(ScenarioKey step) => step.Scenario switch
    {
        Scenario.PreOverdue => 0,
        Scenario.Overdue => 1,
        Scenario.Escalation => 1 + step.Level,
        Scenario.DeclaredLost => 2 + ScenarioKey.MaxEscalationLevels,
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "Not a ladder step."),
    };

    /// <summary>
    /// Whether <paramref name="step"/> names a step an imported loan's previous system may have sent ("pre-overdue",
    /// "overdue", "escalation-k"); a loan declared lost there arrives lost, not with a ladder.
    /// </summary>
    public static bool IsLadderStep(ScenarioKey step) => step.Scenario is Scenario.PreOverdue or Scenario.Overdue or Scenario.Escalation;

    // Steps after the due date must also fall after it: with grace 0 and a 17:00 due date the overdue
    // notice goes at the next day's send time, not the same morning.
    private static LadderStep After(LadderPolicy policy, TimeZoneInfo zone, DateTimeOffset dueAt, int days, bool calendar)
    {
        if (!calendar)
        {
            return Scaled(policy, zone, dueAt, days);
        }

        for (var extra = 0; ; extra++)
        {
            var step = OnOpenDay(policy, zone, dueAt, days + extra);
            if (step.FireAt > dueAt || extra > MaxClosedRun)
            {
                return step;
            }
        }
    }

    /// <summary>
    /// The step <paramref name="days"/> library days from <paramref name="anchor"/> (negative = before): at the
    /// send time on an open day, or anchor ± days × DayLength when scaled. Reservations use it for their reminder,
    /// so there is one calendar for every scheduled notice.
    /// </summary>
    public static LadderStep DaysFrom(LadderPolicy policy, DateTimeOffset anchor, int days)
    {
        var zone = LibraryTime.Zone(policy.TimeZone);
        return policy.DayLength == TimeSpan.FromDays(1) ? OnOpenDay(policy, zone, anchor, days) : Scaled(policy, zone, anchor, days);
    }

    private static LadderStep OnOpenDay(LadderPolicy policy, TimeZoneInfo zone, DateTimeOffset dueAt, int days)
    {
        var date = LibraryTime.LocalDate(dueAt, zone).AddDays(days);
        for (var i = 0; i < MaxClosedRun && policy.ClosedDates.Contains(date); i++)
        {
            date = date.AddDays(1);
        }

        return new LadderStep(default, LibraryTime.ToUtc(date, policy.SendTime, zone), date);
    }

    private static LadderStep Scaled(LadderPolicy policy, TimeZoneInfo zone, DateTimeOffset dueAt, int days)
    {
        var at = dueAt + (policy.DayLength * days);
        return new LadderStep(default, at, LibraryTime.LocalDate(at, zone));
    }
}
