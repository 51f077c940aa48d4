using System.Text.Json;
using Comms.Common;
using Comms.EmailLog;
using Microsoft.Extensions.Logging;

namespace Comms.Sms;

/// <summary>
/// ACS <c>Microsoft.Communication.SMSDeliveryReportReceived</c> events (asked for with <c>enableDeliveryReport</c>): the
/// SMS log row of that message (found through the provider message id index, as email reports find theirs) becomes
/// Delivered, or Failed with the report's status and details. They arrive in the same queue as replies (one Event Grid
/// subscription for the SMS number's events, docs/channels.md), and <see cref="SmsInboundHandler"/> hands them here.
/// </summary>
public sealed partial class SmsDeliveryReports(EmailLogStore log, ILogger<SmsDeliveryReports> logger)
{
    public const string EventType = "Microsoft.Communication.SMSDeliveryReportReceived";

    /// <summary>Applies one report's data; false when it names no message or carries no status.</summary>
    public async Task<bool> ApplyAsync(BinaryData data, CancellationToken cancellationToken = default)
    {
        using var doc = JsonDocument.Parse(data);
        var root = doc.RootElement;
        var messageId = QueuedEvents.ReadString(root, "messageId");
        var status = QueuedEvents.ReadString(root, "deliveryStatus");
        if (string.IsNullOrWhiteSpace(messageId) || string.IsNullOrWhiteSpace(status))
        {
            return false;
        }

        // ACS reports once it knows the outcome: "Delivered", else a failure ("Failed", "Expired", …) whose words we keep.
        var delivered = string.Equals(status, "Delivered", StringComparison.OrdinalIgnoreCase);
        var details = QueuedEvents.ReadString(root, "deliveryStatusDetails");
        var reason = delivered
            ? "ACS SMS delivery report: Delivered"
            : $"ACS SMS delivery report: {status}{(string.IsNullOrWhiteSpace(details) ? string.Empty : " - " + Delivery.Redaction.Redact(details))}";

        // The number is not matched: an SMS message id names one recipient, and the log row's address is a number, not a key.
        var rows = await log.UpdateByMessageIdAsync(messageId, null, delivered ? EmailStatus.Delivered : EmailStatus.Failed, reason, cancellationToken);
        LogApplied(logger, delivered ? "Delivered" : "Failed", rows);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ACS SMS delivery report {Status} applied to {Rows} log rows.")]
    private static partial void LogApplied(ILogger logger, string status, int rows);
}
