using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Comms.DevHost.Durable;

/// <summary>
/// The client options the engine's storage clients (task hub tables, queues and blobs) are built with, when this is
/// registered. Nothing in the app registers it; the benchmarks do, to add a policy that counts every call the engine
/// makes, so the task hub's share of a notice's storage calls is measured rather than counted from the code.
/// </summary>
public sealed class DurableStorageClientOptions
{
    public TableClientOptions Tables { get; } = new();

    /// <summary>The Azure Storage backend writes its own message text: the SDK must not encode it again.</summary>
    public QueueClientOptions Queues { get; } = new() { MessageEncoding = QueueMessageEncoding.None };

    public BlobClientOptions Blobs { get; } = new();
}
