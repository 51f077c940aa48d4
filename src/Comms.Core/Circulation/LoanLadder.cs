using Comms.Libraries;
using Comms.Scenarios;

namespace Comms.Circulation;

/// <summary>One rung of a loan's ladder: which notice, when (UTC), and the library-local date it belongs to.</summary>
public sealed record LadderStep(ScenarioKey Step, DateTimeOffset FireAt, DateOnly ScheduledFor);

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

    public static IReadOnlyList<LadderStep> Compute(LadderPolicy policy, DateTimeOffset dueAt)
    {
        var zone = LibraryTime.Zone(policy.TimeZone);
        var calendar = policy.DayLength == TimeSpan.FromDays(1);
        var steps = new List<LadderStep>();
        var timing = policy.Timing;

        if (policy.PreOverdueEnabled && timing.PreOverdueDaysBefore > 0)
        {
            var pre = calendar ? OnOpenDay(policy, zone, dueAt, -timing.PreOverdueDaysBefore) : Scaled(policy, zone, dueAt, -timing.PreOverdueDaysBefore);
            // A reminder moved past the due date by closed days would arrive as an overdue notice in disguise: drop it.
            if (pre.FireAt < dueAt)
            {
                steps.Add(pre with { Step = new ScenarioKey(Scenario.PreOverdue) });
            }
        }

        if (policy.OverdueEnabled)
        {
            steps.Add(After(policy, zone, dueAt, timing.OverdueGraceDays, calendar) with { Step = new ScenarioKey(Scenario.Overdue) });
        }

        if (policy.EscalationEnabled)
        {
            var levels = Math.Min(timing.EscalationDaysAfterDue.Count, ScenarioKey.MaxEscalationLevels);
            for (var level = 1; level <= levels; level++)
            {
                var days = timing.EscalationDaysAfterDue[level - 1];
                steps.Add(After(policy, zone, dueAt, days, calendar) with { Step = new ScenarioKey(Scenario.Escalation, level) });
            }
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
