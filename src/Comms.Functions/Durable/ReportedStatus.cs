using Microsoft.DurableTask.Client;

namespace Comms.Functions.Durable;

/// <summary>The runtime status an instance's view reports.</summary>
public static class ReportedStatus
{
    /// <summary>
    /// The Azure Storage backend starts an instance in two writes: the start message, then a "Pending" row. When the
    /// first episode runs between the two (a loaded host, a retried start), the row can keep "Pending" for good
    /// while the orchestration runs (the backend's known start race, azure-functions-durable-extension#520). Only a
    /// running orchestration sets a custom status, so a Pending row that carries one is reported as Running; a
    /// start that truly never ran has none and still shows Pending.
    /// </summary>
    public static string? Of(OrchestrationMetadata? instance) =>
        instance is { RuntimeStatus: OrchestrationRuntimeStatus.Pending, SerializedCustomStatus: not null }
            ? nameof(OrchestrationRuntimeStatus.Running)
            : instance?.RuntimeStatus.ToString();
}
