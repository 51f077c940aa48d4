using Comms.Circulation;
using Comms.Libraries;

namespace Comms.Tests.Circulation;

public sealed class LoanLadderTests
{
    private static readonly LadderPolicy London = new()
    {
        TimeZone = "Europe/London",
        SendTime = new TimeOnly(9, 30),
        Timing = new NoticeTiming { PreOverdueDaysBefore = 3, OverdueGraceDays = 1, EscalationDaysAfterDue = [7, 14, 28] },
    };

    private static DateTimeOffset Utc(int y, int m, int d, int h, int min = 0) => new(y, m, d, h, min, 0, TimeSpan.Zero);

    [Fact]
    public void Compute_DefaultTiming_GivesEveryStepAtTheLocalSendTime()
    {
        var ladder = LoanLadder.Compute(London, Utc(2026, 1, 15, 17));

        Assert.Equal(["pre-overdue", "overdue", "escalation-1", "escalation-2", "escalation-3"], ladder.Select(s => s.Step.ToString()));
        Assert.Equal(Utc(2026, 1, 12, 9, 30), ladder[0].FireAt); // GMT in January
        Assert.Equal(Utc(2026, 1, 16, 9, 30), ladder[1].FireAt);
        Assert.Equal(new DateOnly(2026, 2, 12), ladder[4].ScheduledFor);
    }

    [Fact]
    public void Compute_DstChangeBetweenSteps_KeepsTheLocalSendTime()
    {
        // UK clocks go forward on 29 March 2026: 09:30 is 09:30 GMT before, 08:30 UTC after.
        var ladder = LoanLadder.Compute(London, Utc(2026, 3, 27, 17));

        Assert.Equal(Utc(2026, 3, 24, 9, 30), ladder.Single(s => s.Step.ToString() == "pre-overdue").FireAt);
        Assert.Equal(Utc(2026, 4, 3, 8, 30), ladder.Single(s => s.Step.ToString() == "escalation-1").FireAt);
    }

    [Fact]
    public void ToUtc_TimeInTheSpringGap_MovesForwardByTheGap()
    {
        var zone = LibraryTime.Zone("Europe/London");

        Assert.Equal(Utc(2026, 3, 29, 1, 30), LibraryTime.ToUtc(new DateOnly(2026, 3, 29), new TimeOnly(1, 30), zone)); // 02:30 BST
    }

    [Fact]
    public void ToUtc_TimeRepeatedAtFallBack_TakesTheFirstOccurrence()
    {
        var zone = LibraryTime.Zone("Europe/London");

        Assert.Equal(Utc(2026, 10, 25, 0, 30), LibraryTime.ToUtc(new DateOnly(2026, 10, 25), new TimeOnly(1, 30), zone)); // 01:30 BST
    }

    [Fact]
    public void Compute_StepOnClosedDates_MovesToTheNextOpenDay()
    {
        var policy = London with { ClosedDates = [new DateOnly(2026, 1, 16), new DateOnly(2026, 1, 17)] };

        var overdue = LoanLadder.Compute(policy, Utc(2026, 1, 15, 17)).Single(s => s.Step.ToString() == "overdue");

        Assert.Equal(new DateOnly(2026, 1, 18), overdue.ScheduledFor);
        Assert.Equal(Utc(2026, 1, 18, 9, 30), overdue.FireAt);
    }

    [Fact]
    public void Compute_PreOverdueMovedPastTheDueDate_IsDropped()
    {
        var policy = London with { Timing = London.Timing with { PreOverdueDaysBefore = 1 }, ClosedDates = [new DateOnly(2026, 1, 14), new DateOnly(2026, 1, 15)] };

        var ladder = LoanLadder.Compute(policy, Utc(2026, 1, 15, 8));

        Assert.DoesNotContain(ladder, s => s.Step.ToString() == "pre-overdue");
    }

    [Fact]
    public void Compute_NoGraceAndDueAfterSendTime_SendsOverdueNextDay()
    {
        var policy = London with { Timing = London.Timing with { OverdueGraceDays = 0 } };

        var overdue = LoanLadder.Compute(policy, Utc(2026, 1, 15, 17)).Single(s => s.Step.ToString() == "overdue");

        Assert.Equal(Utc(2026, 1, 16, 9, 30), overdue.FireAt);
    }

    [Fact]
    public void Compute_DisabledScenarios_AreLeftOut()
    {
        var policy = London with { PreOverdueEnabled = false, EscalationEnabled = false };

        Assert.Equal(["overdue"], LoanLadder.Compute(policy, Utc(2026, 1, 15, 17)).Select(s => s.Step.ToString()));
    }

    [Fact]
    public void Compute_ScaledDays_OffsetsFromTheDueInstant()
    {
        var policy = London with { DayLength = TimeSpan.FromSeconds(2) };
        var due = Utc(2026, 1, 15, 17);

        var ladder = LoanLadder.Compute(policy, due);

        Assert.Equal([due.AddSeconds(-6), due.AddSeconds(2), due.AddSeconds(14), due.AddSeconds(28), due.AddSeconds(56)], ladder.Select(s => s.FireAt));
    }

    [Fact]
    public void Next_LoanArrivingOverdue_SkipsStepsAlreadyPast()
    {
        var ladder = LoanLadder.Compute(London, Utc(2026, 1, 15, 17));

        var next = LoanLadder.Next(ladder, notBefore: Utc(2026, 1, 20, 12), sent: [], lastSentAt: null);

        Assert.Equal("escalation-1", next!.Step.ToString());
    }

    [Fact]
    public void Next_AfterASentStep_NeverReachesBackOrRepeats()
    {
        var ladder = LoanLadder.Compute(London, Utc(2026, 1, 15, 17));
        var overdue = ladder[1];

        var next = LoanLadder.Next(ladder, Utc(2026, 1, 1, 0), ["pre-overdue", "overdue"], overdue.FireAt);

        Assert.Equal("escalation-1", next!.Step.ToString());
        Assert.Null(LoanLadder.Next(ladder, Utc(2026, 1, 1, 0), [.. ladder.Select(s => s.Step.ToString())], ladder[^1].FireAt));
    }

    [Fact]
    public void Resume_ImportedPastEveryStep_ContinuesAfterTheLastSentAtTheNextSendTimeKeepingTheSpacing()
    {
        var due = Utc(2026, 1, 15, 17);
        var now = Utc(2026, 3, 10, 12); // after the day's 09:30 send: the next send time is 11 March

        var resume = LoanLadder.Resume(London, due, now, new Scenarios.ScenarioKey(Scenarios.Scenario.Overdue));
        var ladder = LoanLadder.Compute(London, due, resume.ShiftDays);
        var next = LoanLadder.Next(ladder, now, [.. resume.Before.Select(s => s.Step.ToString())], resume.Before[^1].FireAt);

        Assert.Equal(["pre-overdue", "overdue"], resume.Before.Select(s => s.Step.ToString()));
        Assert.Equal(["overdue", "escalation-1", "escalation-2", "escalation-3"], ladder.Select(s => s.Step.ToString()));
        Assert.Equal("escalation-1", next!.Step.ToString());
        Assert.Equal(Utc(2026, 3, 11, 9, 30), next.FireAt);
        Assert.Equal(Utc(2026, 3, 18, 9, 30), ladder[2].FireAt); // 7 days later, as escalation-1 to -2 are
        Assert.Equal(Utc(2026, 4, 1, 8, 30), ladder[3].FireAt); // 14 days later, 09:30 BST
    }

    [Fact]
    public void Resume_OverdueWithoutHistory_SendsTheOverdueNoticeAtTheNextSendTime()
    {
        var due = Utc(2026, 1, 15, 17);
        var now = Utc(2026, 1, 20, 8); // before the day's 09:30 send

        var resume = LoanLadder.Resume(London, due, now, lastSent: null);
        var next = LoanLadder.Next(LoanLadder.Compute(London, due, resume.ShiftDays), now, [], null);

        Assert.Empty(resume.Before);
        Assert.Equal("overdue", next!.Step.ToString());
        Assert.Equal(Utc(2026, 1, 20, 9, 30), next.FireAt);
    }

    [Fact]
    public void Resume_NextStepStillAhead_KeepsTheLibrarysDates()
    {
        var due = Utc(2026, 1, 15, 17);

        var resume = LoanLadder.Resume(London, due, Utc(2026, 1, 18, 12), new Scenarios.ScenarioKey(Scenarios.Scenario.Overdue));

        Assert.Equal(0, resume.ShiftDays);
        Assert.Equal(["pre-overdue", "overdue"], resume.Before.Select(s => s.Step.ToString()));
    }
}
