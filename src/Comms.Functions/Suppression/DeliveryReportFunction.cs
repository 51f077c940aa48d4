using Comms.Suppression;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Suppression;

/// <summary>
/// ACS delivery reports, which Event Grid writes into the storage queue email-delivery-events
/// (infra/app/email-delivery-events.bicep). A queue rather than an Event Grid trigger: it needs no webhook
/// handshake, retries and poison handling come with the queue, and bursts wait in the queue instead of at the door.
/// </summary>
public sealed class DeliveryReportFunction(DeliveryReportHandler handler)
{
    public const string QueueName = "email-delivery-events";

    [Function(nameof(ReceiveDeliveryReport))]
    public async Task ReceiveDeliveryReport([QueueTrigger(QueueName, Connection = "AzureWebJobsStorage")] BinaryData message, CancellationToken cancellationToken) =>
        await handler.HandleAsync(message, cancellationToken);
}
