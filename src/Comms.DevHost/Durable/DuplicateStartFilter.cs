using DurableTask.Core;
using DurableTask.Core.History;

namespace Comms.DevHost.Durable;

/// <summary>
/// The orchestration service as the sidecar sees it: the Azure Storage backend, except that an orchestration work
/// item never carries a second <see cref="ExecutionStartedEvent"/> for its execution. Queue messages are
/// at-least-once: a process killed after an instance's first episode was checkpointed and before its start message
/// was deleted gets that start message again (the same execution id, which the backend's start de-duplication
/// lets through because it matches the instance row). The Durable Task Framework's own dispatcher, which the
/// Functions host runs, drops such a duplicate ("Duplicate start event"); the sidecar's dispatcher adds it to the
/// history, which then holds two ExecutionStarted events and is refused for good ("potential corruption in state
/// storage"). This filter drops a start whose execution has already started, and nothing else. The dropped message stays in the work item's queue batch, so
/// completing the work item deletes it.
/// </summary>
public sealed class DuplicateStartFilter(IOrchestrationService inner, ILogger<DuplicateStartFilter> logger) : IOrchestrationService
{
    private volatile Task? _starting;

    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;
    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;
    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;
    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;

    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);
        if (workItem?.NewMessages is { Count: > 0 } messages)
        {
            // Executions already started: the one in the loaded history, then any start kept from this batch. Only a
            // start of one of these is a repeat; a start with a new execution id (a new run of a finished instance)
            // is the backend's to judge and passes through.
            var started = new HashSet<string>(StringComparer.Ordinal);
            if (workItem.OrchestrationRuntimeState?.ExecutionStartedEvent is not null && workItem.OrchestrationRuntimeState.OrchestrationInstance?.ExecutionId is { } loaded)
            {
                started.Add(loaded);
            }

            var kept = new List<TaskMessage>(messages.Count);
            foreach (var message in messages)
            {
                if (message.Event is ExecutionStartedEvent && message.OrchestrationInstance?.ExecutionId is { } executionId && !started.Add(executionId))
                {
                    logger.LogWarning("Dropped a duplicate start of {InstanceId} (execution {ExecutionId}): the queue delivered it again", workItem.InstanceId, executionId);
                    continue;
                }

                kept.Add(message);
            }

            if (kept.Count != messages.Count)
            {
                workItem.NewMessages = kept;
            }
        }

        return workItem!;
    }

    public Task StartAsync() => _starting = inner.StartAsync();

    public Task StopAsync() => StopStartedAsync(inner.StopAsync);

    public Task StopAsync(bool isForced) => StopStartedAsync(() => inner.StopAsync(isForced));

    /// <summary>
    /// The sidecar stops its dispatcher from an ApplicationStopping callback, where an exception is unobserved
    /// and ends the process. The Azure Storage service throws NullReferenceException when stopped before (or while)
    /// it starts: its partition manager exists only after StartAsync. A host stopped that early (a test's short
    /// run, Ctrl+C during start) has nothing to stop, so this waits for a start in progress and otherwise skips.
    /// </summary>
    private async Task StopStartedAsync(Func<Task> stop)
    {
        if (_starting is not { } starting)
        {
            return;
        }

        // Whatever the start's outcome: a failed start is reported where it was awaited, not here.
        await starting.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        try
        {
            await stop();
        }
        catch (NullReferenceException)
        {
            // A start that failed part way leaves the same null partition manager behind.
        }
    }
    public Task CreateAsync() => inner.CreateAsync();
    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);
    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();
    public Task DeleteAsync() => inner.DeleteAsync();
    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);
    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);
    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);
    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);
    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState) =>
        inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);
    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);
    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) => inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);
    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);
    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) => inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => inner.AbandonTaskActivityWorkItemAsync(workItem);
}
