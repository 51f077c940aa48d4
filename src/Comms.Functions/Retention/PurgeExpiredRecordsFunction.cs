using Comms.Retention;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Retention;

/// <summary>Deletes records past their retention once a day, on the schedule from the app settings.</summary>
public sealed class PurgeExpiredRecordsFunction(ExpiredRecordsPurge purge)
{
    /// <summary>
    /// Resolved by the host from its configuration: the app setting Comms__Retention__Schedule is the key
    /// Comms:Retention:Schedule (validated at start by <see cref="RetentionOptions"/>).
    /// </summary>
    public const string Schedule = "%Comms:Retention:Schedule%";

    [Function(nameof(PurgeExpiredRecords))]
    public async Task PurgeExpiredRecords([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await purge.RunAsync(cancellationToken);
}
