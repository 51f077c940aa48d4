using Comms.EmailLog;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Comms.Functions.Dashboard;

/// <summary>
/// Writes this process's dashboard counts every few seconds and once more at shutdown
/// (<see cref="EmailLogCounters.FlushAsync"/>): counting then costs a send no storage call, and other instances
/// see these counts at most one interval late.
/// </summary>
public sealed partial class DashboardCounterFlush(EmailLogCounters counters, TimeProvider time, ILogger<DashboardCounterFlush> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the last flush follows in StopAsync.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown time ran out first: stopping must not fail for counts (they are only counts).
            LogFinalFlushCut(logger);
        }
    }

    // Storage being away or slow must not stop the host (an unhandled exception in a background service does): the
    // counts stay in memory, changed, and the next tick writes them. A storage call that timed out surfaces as a
    // cancellation the caller did not ask for (Azure.Core's network timeout), so it is one of these too.
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await counters.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or AggregateException or HttpRequestException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogFlushFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard counts not written this time ({Error}); they are kept for the next flush.")]
    private static partial void LogFlushFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard counts since the last flush were not written: the host stopped before storage answered.")]
    private static partial void LogFinalFlushCut(ILogger logger);
}
