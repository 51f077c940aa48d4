using Comms.Sms;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Sms;

/// <summary>
/// Replies to the library's SMS number: ACS SMSReceived events, which Event Grid writes into the storage queue named by
/// Comms:Sms:InboundQueueName (docs/channels.md). A queue, like the email delivery reports: no webhook handshake, and
/// retries and poison handling come with it.
/// </summary>
public sealed class SmsInboundFunction(SmsInboundHandler handler)
{
    [Function(nameof(ReceiveSmsReply))]
    public async Task ReceiveSmsReply([QueueTrigger("%Comms:Sms:InboundQueueName%", Connection = "AzureWebJobsStorage")] BinaryData message, CancellationToken cancellationToken) =>
        await handler.HandleAsync(message, cancellationToken);
}
