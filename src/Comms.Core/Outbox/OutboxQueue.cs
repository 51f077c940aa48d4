using Azure.Identity;
using Azure.Storage.Queues;
using Comms.Storage;
using Microsoft.Extensions.Options;

namespace Comms.Outbox;

/// <summary>
/// The storage queue that drives delivery: one message per attempt, made visible when the attempt is due. The
/// queue's own visibility delay is the retry timer, so no scheduler of ours runs anywhere. Same account as the
/// app's tables: the connection string locally, the queue endpoint beside the table endpoint with the managed
/// identity in Azure.
/// </summary>
public sealed class OutboxQueue
{
    /// <summary>The longest visibility delay Azure Storage queues accept.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    private readonly Lazy<Task<QueueClient>> _queue;

    public OutboxQueue(IOptions<StorageOptions> storage, IOptions<OutboxOptions> outbox)
    {
        var client = Client(storage.Value, outbox.Value.QueueName);
        _queue = new Lazy<Task<QueueClient>>(async () =>
        {
            await client.CreateIfNotExistsAsync().ConfigureAwait(false);
            return client;
        });
    }

    /// <summary>A queue in the app's storage account: by connection string locally, by endpoint and identity in Azure.</summary>
    internal static QueueClient Client(StorageOptions o, string queueName)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        return !string.IsNullOrWhiteSpace(o.ConnectionString)
            ? new QueueClient(o.ConnectionString, queueName, options)
            : new QueueClient(
                new Uri(QueueEndpoint(o.TableServiceUri!), queueName),
                new DefaultAzureCredential(new DefaultAzureCredentialOptions
                {
                    ManagedIdentityClientId = string.IsNullOrWhiteSpace(o.ManagedIdentityClientId) ? null : o.ManagedIdentityClientId,
                }),
                options);
    }

    public async Task SendAsync(OutboxMessage message, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        var queue = await _queue.Value;
        var visibility = delay <= TimeSpan.Zero ? (TimeSpan?)null : delay > MaxDelay ? MaxDelay : delay;
        await queue.SendMessageAsync(BinaryData.FromObjectAsJson(message, Common.CommsJson.Options), visibility, timeToLive: TimeSpan.FromDays(8), cancellationToken);
    }

    /// <summary>https://acct.table.core.windows.net/ → https://acct.queue.core.windows.net/</summary>
    internal static Uri QueueEndpoint(Uri tableEndpoint)
    {
        var builder = new UriBuilder(tableEndpoint);
        builder.Host = builder.Host.Replace(".table.", ".queue.", StringComparison.OrdinalIgnoreCase);
        builder.Path = "/";
        return builder.Uri;
    }
}

/// <summary>What a queue message carries: which notice to attempt; never any of its content.</summary>
public sealed record OutboxMessage(string LibraryId, string NoticeId);
