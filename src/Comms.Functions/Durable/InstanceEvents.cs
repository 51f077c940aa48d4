using Comms.Common;
using Microsoft.DurableTask.Client;

namespace Comms.Functions.Durable;

/// <summary>
/// Raising an external event only on an instance whose start the engine has processed. On the Azure Storage backend a
/// new instance's start message is queued before its Instances row is written; a control-queue reader that finds the
/// message before the row defers it (invisible for 2 s, doubling on each repeat). An event raised to the Pending
/// instance meanwhile is read on its own, finds no history and is deleted for good ("No such instance" in the
/// backend's DiscardingWorkItem log): a recall posted right after its loan was lost that way. So a Pending instance is
/// waited for until it runs; one that has not started within <see cref="StartWait"/> answers 503 (retry later), so the
/// caller repeats the request rather than the event silently going nowhere.
/// </summary>
public static class InstanceEvents
{
    /// <summary>How long a request waits for a Pending instance to start: the backend's first deferrals are 2, 4 and 8 s.</summary>
    public static readonly TimeSpan StartWait = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(1);

    /// <summary>Raises the event on <paramref name="instance"/> (as just read), first waiting for it to start if it is Pending.</summary>
    public static async Task RaiseAsync(DurableTaskClient client, OrchestrationMetadata instance, string eventName, object? eventData, CancellationToken cancellationToken)
    {
        await WaitUntilStartedAsync(client, instance, cancellationToken);
        await client.RaiseEventAsync(instance.InstanceId, eventName, eventData, cancellationToken);
    }

    /// <summary>Raises the event on the instance with that id, which the caller has just started (or found started).</summary>
    public static async Task RaiseAsync(DurableTaskClient client, string instanceId, string eventName, object? eventData, CancellationToken cancellationToken)
    {
        if (await client.GetInstanceAsync(instanceId, cancellationToken) is { } instance)
        {
            await WaitUntilStartedAsync(client, instance, cancellationToken);
        }

        await client.RaiseEventAsync(instanceId, eventName, eventData, cancellationToken);
    }

    private static async Task WaitUntilStartedAsync(DurableTaskClient client, OrchestrationMetadata instance, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        var poll = FirstPoll;
        for (OrchestrationMetadata? current = instance; current is { RuntimeStatus: OrchestrationRuntimeStatus.Pending };)
        {
            if (waited >= StartWait)
            {
                throw new RetryLaterException(
                    $"Instance '{instance.InstanceId}' has not started yet, and an event raised before it starts can be lost; retry in a few seconds.", TimeSpan.FromSeconds(5));
            }

            await Task.Delay(poll, cancellationToken);
            waited += poll;
            poll = poll * 2 < LongestPoll ? poll * 2 : LongestPoll;

            // Null when gone while waiting (purged): the event then goes nowhere, as to an instance that never existed.
            current = await client.GetInstanceAsync(instance.InstanceId, cancellationToken);
        }
    }
}
