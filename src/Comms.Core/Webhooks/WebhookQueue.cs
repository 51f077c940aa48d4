using Azure.Storage.Queues;
using Comms.Outbox;
using Comms.Storage;
using Microsoft.Extensions.Options;

namespace Comms.Webhooks;

/// <summary>The storage queue of status events: each event one message, a retry the same message queued later.</summary>
public sealed class WebhookQueue(IOptions<StorageOptions> storage, IOptions<WebhookOptions> options)
{
    private readonly Lazy<Task<QueueClient>> _queue = new(async () =>
    {
        var client = OutboxQueue.Client(storage.Value, options.Value.QueueName);
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    });

    public async Task SendAsync(WebhookEvent message, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        var queue = await _queue.Value;
        var visibility = delay <= TimeSpan.Zero ? (TimeSpan?)null : delay > OutboxQueue.MaxDelay ? OutboxQueue.MaxDelay : delay;
        await queue.SendMessageAsync(BinaryData.FromObjectAsJson(message, Outbox.OutboxJson.Options), visibility, timeToLive: TimeSpan.FromDays(8), cancellationToken);
    }
}
