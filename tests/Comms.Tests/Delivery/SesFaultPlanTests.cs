namespace Comms.Tests.Delivery;

/// <summary>
/// The fault plan's storm: opened by the request count, it must stay open until a message has been refused as
/// many times as a run tries, even when the fixed length has passed, so a run surely gives up inside it.
/// </summary>
public sealed class SesFaultPlanTests
{
    [Fact]
    public void Storm_PastItsLength_StaysOpenUntilOneMessageIsRefusedEnoughTimes()
    {
        var plan = new SesFaultPlan
        {
            StormAfterRequests = 1,
            StormLength = TimeSpan.Zero,
            StormRefusalsToEnd = 3,
            DownAfterRequests = int.MaxValue,
            DownLength = TimeSpan.Zero,
            TransientPercent = 0,
            RequestLostPercent = 0,
        };

        // Two messages share the storm; only the third refusal of one message closes it.
        var answers = new[] { plan.Next("a"), plan.Next("b"), plan.Next("a"), plan.Next("b"), plan.Next("a"), plan.Next("b") };

        Assert.Equal([SesFault.ThrottleStorm, SesFault.ThrottleStorm, SesFault.ThrottleStorm, SesFault.ThrottleStorm, SesFault.ThrottleStorm, SesFault.Forwarded], answers);
    }

    [Fact]
    public void Storm_WithoutARefusalCount_EndsByTime()
    {
        var plan = new SesFaultPlan
        {
            StormAfterRequests = 1,
            StormLength = TimeSpan.Zero,
            DownAfterRequests = int.MaxValue,
            DownLength = TimeSpan.Zero,
            TransientPercent = 0,
            RequestLostPercent = 0,
        };

        Assert.Equal(SesFault.Forwarded, plan.Next("a"));
    }
}
