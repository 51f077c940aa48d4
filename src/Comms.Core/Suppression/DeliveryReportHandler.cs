using System.Text.Json;
using Azure.Messaging.EventGrid;
using Comms.Common;
using Comms.EmailLog;
using Microsoft.Extensions.Logging;

namespace Comms.Suppression;

/// <summary>
/// ACS <c>Microsoft.Communication.EmailDeliveryReportReceived</c> events (Event Grid schema, as Event Grid
/// writes them into the storage queue): Bounced and Suppressed blacklist the recipient; every terminal status
/// is written onto the email log row of that message (found by its operation id, ACS's message id).
/// </summary>
public sealed partial class DeliveryReportHandler(BlacklistStore blacklist, EmailLogStore log, TimeProvider clock, ILogger<DeliveryReportHandler> logger)
{
    public const string EventType = "Microsoft.Communication.EmailDeliveryReportReceived";

    /// <summary>Handles one queue message (one event or an array of them); returns how many reports it applied.</summary>
    public async Task<int> HandleAsync(BinaryData message, CancellationToken cancellationToken = default)
    {
        EventGridEvent[] events;
        try
        {
            events = EventGridEvent.ParseMany(QueuedEvents.Unwrap(message));
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException)
        {
            // A message that is not an event will never become one: log and drop rather than poison-loop.
            LogUnreadable(logger, e.Message);
            return 0;
        }

        var applied = 0;
        foreach (var ev in events.Where(e => e.EventType == EventType))
        {
            applied += await ApplyAsync(ev.Data, cancellationToken) ? 1 : 0;
        }

        return applied;
    }

    private async Task<bool> ApplyAsync(BinaryData data, CancellationToken cancellationToken)
    {
        using var doc = JsonDocument.Parse(data);
        var root = doc.RootElement;
        var recipient = QueuedEvents.ReadString(root, "recipient");
        var messageId = QueuedEvents.ReadString(root, "messageId");
        var status = QueuedEvents.ReadString(root, "status");
        var detail = root.TryGetProperty("deliveryStatusDetails", out var d) ? QueuedEvents.ReadString(d, "statusMessage") : null;
        var (logStatus, blacklistReason) = status switch
        {
            "Delivered" => (EmailStatus.Delivered, null),
            "Bounced" => (EmailStatus.Bounced, "hard bounce"),
            "Suppressed" => (EmailStatus.Suppressed, "on the ACS suppression list"),
            "Failed" or "FilteredSpam" or "Quarantined" => (EmailStatus.Failed, (string?)null),
            _ => ((EmailStatus?)null, (string?)null),
        };
        if (logStatus is null)
        {
            return false; // Expanded and future statuses change nothing.
        }

        if (blacklistReason is not null && Common.EmailAddress.TryNormalize(recipient, out var address))
        {
            await blacklist.AddAsync(address, blacklistReason, BlacklistSources.AcsEvent, clock.GetUtcNow(), cancellationToken);
        }

        var reason = $"ACS delivery report: {status}{(string.IsNullOrWhiteSpace(detail) ? string.Empty : " - " + Delivery.Redaction.Redact(detail))}";
        var rows = messageId is null ? 0 : await log.UpdateByMessageIdAsync(messageId, recipient, logStatus.Value, reason, cancellationToken);
        LogApplied(logger, status!, rows);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A delivery event could not be read and was dropped: {Error}")]
    private static partial void LogUnreadable(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "ACS delivery report {Status} applied to {Rows} email log rows.")]
    private static partial void LogApplied(ILogger logger, string status, int rows);
}
