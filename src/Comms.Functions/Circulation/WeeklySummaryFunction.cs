using Comms.Circulation;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Circulation;

/// <summary>
/// Every quarter of an hour, sends the heads of school's weekly summaries whose day and send time have passed in
/// their library's zone (a fixed schedule: each library's own time decides, not this one).
/// </summary>
public sealed class WeeklySummaryFunction(WeeklySummarySender sender)
{
    public const string Schedule = "0 */15 * * * *";

    [Function(nameof(SendWeeklySummaries))]
    public async Task SendWeeklySummaries([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await sender.SendDueAsync(cancellationToken);
}
