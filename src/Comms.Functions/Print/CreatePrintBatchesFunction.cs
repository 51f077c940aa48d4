using Comms.Print;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Print;

/// <summary>Gathers every library's waiting printed notices into the day's print batches, on the schedule from the app settings.</summary>
public sealed class CreatePrintBatchesFunction(PrintBatchService batches)
{
    /// <summary>
    /// Resolved by the host from its configuration: the app setting Comms__Print__BatchSchedule is the key
    /// Comms:Print:BatchSchedule (default in <see cref="PrintOptions"/>).
    /// </summary>
    public const string Schedule = "%Comms:Print:BatchSchedule%";

    [Function(nameof(CreateDailyPrintBatches))]
    public async Task CreateDailyPrintBatches([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await batches.CreateForAllAsync(cancellationToken);
}
