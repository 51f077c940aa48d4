using Comms.Suppression;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Suppression;

/// <summary>Copies the providers' suppression lists into the blacklist on the schedule from the app settings.</summary>
public sealed class SuppressionSyncFunction(SuppressionSync sync)
{
    /// <summary>
    /// The host resolves %...% through its configuration, where the app setting Comms__Suppression__SyncSchedule
    /// (environment variable form) is the key Comms:Suppression:SyncSchedule.
    /// </summary>
    public const string Schedule = "%Comms:Suppression:SyncSchedule%";

    [Function(nameof(SyncSuppressionLists))]
    public async Task SyncSuppressionLists([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await sync.RunAsync(cancellationToken);
}
