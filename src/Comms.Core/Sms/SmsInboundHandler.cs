using System.Text.Json;
using Azure.Messaging.EventGrid;
using Comms.Common;
using Microsoft.Extensions.Logging;

namespace Comms.Sms;

/// <summary>
/// ACS <c>Microsoft.Communication.SMSReceived</c> events (Event Grid schema, written by Event Grid into the storage queue
/// Comms:Sms:InboundQueueName): a reply of STOP (or another opt-out keyword) stops every library that texted the number;
/// START or UNSTOP lets them text it again. Other replies change nothing; the text itself is never stored or logged.
/// The same queue carries the number's <c>SMSDeliveryReportReceived</c> events (one subscription for the number's events),
/// which go to <see cref="SmsDeliveryReports"/>.
/// </summary>
public sealed partial class SmsInboundHandler(SmsNumberStore numbers, SmsDeliveryReports reports, TimeProvider clock, ILogger<SmsInboundHandler> logger)
{
    public const string EventType = "Microsoft.Communication.SMSReceived";

    /// <summary>The keywords carriers and ACS treat as opt-out and opt-in (case and surrounding spaces ignored).</summary>
    public static readonly IReadOnlySet<string> StopWords = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "ARRET", "ARRÊT" };
    public static readonly IReadOnlySet<string> StartWords = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "START", "UNSTOP", "YES" };

    /// <summary>Handles one queue message (one event or an array of them); returns how many opt-out changes and delivery reports it applied.</summary>
    public async Task<int> HandleAsync(BinaryData message, CancellationToken cancellationToken = default)
    {
        EventGridEvent[] events;
        try
        {
            events = EventGridEvent.ParseMany(QueuedEvents.Unwrap(message));
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException)
        {
            LogUnreadable(logger, e.Message);
            return 0;
        }

        var applied = 0;
        foreach (var report in events.Where(e => e.EventType == SmsDeliveryReports.EventType))
        {
            applied += await reports.ApplyAsync(report.Data, cancellationToken) ? 1 : 0;
        }

        foreach (var ev in events.Where(e => e.EventType == EventType))
        {
            using var doc = JsonDocument.Parse(ev.Data);
            var from = QueuedEvents.ReadString(doc.RootElement, "from");
            var text = QueuedEvents.ReadString(doc.RootElement, "message")?.Trim();
            if (!PhoneNumber.IsValid(from) || text is null)
            {
                continue;
            }

            bool? optOut = StopWords.Contains(text) ? true : StartWords.Contains(text) ? false : null;
            if (optOut is { } stop)
            {
                var libraries = await numbers.SetOptOutAsync(from!, stop, clock.GetUtcNow(), cancellationToken);
                LogOptOut(logger, stop, libraries);
                applied++;
            }
        }

        return applied;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An inbound SMS event could not be read and was dropped: {Error}")]
    private static partial void LogUnreadable(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS reply applied: opted out {OptedOut} for {Libraries} libraries.")]
    private static partial void LogOptOut(ILogger logger, bool optedOut, int libraries);
}
