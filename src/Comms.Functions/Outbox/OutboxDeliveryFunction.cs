using System.Text.Json;
using Comms.Common;
using Comms.Outbox;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Comms.Functions.Outbox;

/// <summary>
/// Delivers queued notices: one message per attempt, each made visible when the attempt is due (the retry
/// backoff is the queue's visibility delay). Storage failures throw, so the host retries the message and
/// poisons it after five tries; a message that is not ours is logged and dropped.
/// </summary>
public sealed partial class OutboxDeliveryFunction(OutboxDelivery delivery, ILogger<OutboxDeliveryFunction> logger)
{
    /// <summary>The queue name setting, resolved by the Functions host (and the dev host) as a binding expression.</summary>
    public const string QueueSetting = "%" + OutboxOptions.Section + ":QueueName%";

    [Function(nameof(DeliverQueuedNotice))]
    public async Task DeliverQueuedNotice([QueueTrigger(QueueSetting, Connection = "AzureWebJobsStorage")] BinaryData message, CancellationToken cancellationToken)
    {
        OutboxMessage? parsed;
        try
        {
            parsed = message.ToObjectFromJson<OutboxMessage>(CommsJson.Options);
        }
        catch (JsonException)
        {
            parsed = null;
        }

        if (parsed is null || string.IsNullOrEmpty(parsed.LibraryId) || string.IsNullOrEmpty(parsed.NoticeId))
        {
            LogUnreadable();
            return;
        }

        await delivery.AttemptAsync(parsed, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An outbox message that names no notice was dropped.")]
    private partial void LogUnreadable();
}
