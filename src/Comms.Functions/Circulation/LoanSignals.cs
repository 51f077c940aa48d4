using Comms.Circulation;
using Comms.Functions.Durable;
using Microsoft.DurableTask.Client;

namespace Comms.Functions.Circulation;

/// <summary>Raising a loan event from the wider catalogue's calls (lost, shortened, check-in, auto-renewal).</summary>
public static class LoanSignals
{
    /// <summary>
    /// Raises the event on the loan's orchestration while it runs. A loan whose ladder has finished (or was never
    /// started, which a repeat loan post repairs) has nothing to move; its row already holds the change.
    /// </summary>
    public static async Task RaiseIfRunningAsync(DurableTaskClient client, string libraryId, string loanId, LoanEvent loanEvent, CancellationToken cancellationToken)
    {
        var instanceId = LoanInstanceIds.For(libraryId, loanId);
        if (await client.GetInstanceAsync(instanceId, cancellationToken) is { IsCompleted: false } instance)
        {
            await InstanceEvents.RaiseAsync(client, instance, LoanOrchestration.EventName, loanEvent, cancellationToken);
        }
    }
}
