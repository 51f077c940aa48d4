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
}
