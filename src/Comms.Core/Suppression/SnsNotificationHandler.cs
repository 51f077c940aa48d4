using System.Text.Json;
using Comms.Common;
using Comms.EmailLog;
using Microsoft.Extensions.Logging;

namespace Comms.Suppression;

/// <summary>What an SNS delivery led to.</summary>
public enum SnsOutcome
{
    SubscriptionConfirmed,
    Blacklisted,
    Ignored,
}

/// <summary>
/// SES bounce and complaint notifications through SNS. Nothing is read or written before the signature
/// verifies. A permanent bounce or a complaint blacklists the recipients and marks the message's email log rows
/// <see cref="EmailStatus.Bounced"/> or <see cref="EmailStatus.Complained"/> (which moves an outbox notice on and
/// tells the library's webhook); transient bounces change nothing.
/// A subscription confirmation is confirmed by fetching its SubscribeURL, only on a trusted host.
/// </summary>
public sealed partial class SnsNotificationHandler(
    SnsSignatureVerifier verifier,
    BlacklistStore blacklist,
    EmailLogStore log,
    IHttpClientFactory httpClients,
    TimeProvider clock,
    ILogger<SnsNotificationHandler> logger)
{
    public async Task<(SnsOutcome Outcome, int Addresses)> HandleAsync(byte[] body, CancellationToken cancellationToken = default)
    {
        var message = SnsMessage.Parse(body);
        await verifier.VerifyAsync(message, cancellationToken);
        switch (message.Type)
        {
            case "SubscriptionConfirmation":
                if (!verifier.IsTrusted(message.SubscribeUrl))
                {
                    throw new ForbiddenException("The subscription's SubscribeURL is not on a trusted SNS host.");
                }

                using (var response = await httpClients.CreateClient(SnsSignatureVerifier.HttpClientName).GetAsync(new Uri(message.SubscribeUrl!), cancellationToken))
                {
                    response.EnsureSuccessStatusCode();
                }

                LogConfirmed(logger, message.TopicArn);
                return (SnsOutcome.SubscriptionConfirmed, 0);
            case "Notification":
                var count = await ApplyAsync(message.Message, cancellationToken);
                return (count > 0 ? SnsOutcome.Blacklisted : SnsOutcome.Ignored, count);
            default:
                return (SnsOutcome.Ignored, 0);
        }
    }

    private async Task<int> ApplyAsync(string sesJson, CancellationToken cancellationToken)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(sesJson).RootElement;
        }
        catch (JsonException)
        {
            throw RequestValidationException.For("Message", "Not an SES notification.");
        }

        // SNS notifications say notificationType; SES event publishing says eventType.
        var type = Read(root, "notificationType") ?? Read(root, "eventType");
        var (reason, recipients, status, logReason) = type switch
        {
            "Bounce" when root.TryGetProperty("bounce", out var b) && Read(b, "bounceType") == "Permanent" =>
                ("hard bounce", Addresses(b, "bouncedRecipients"), EmailStatus.Bounced, "SES: permanent bounce"),
            "Complaint" when root.TryGetProperty("complaint", out var c) =>
                ("complaint", Addresses(c, "complainedRecipients"), EmailStatus.Complained, ComplaintReason(c)),
            _ => (null, [], EmailStatus.Sent, null),
        };
        if (reason is null)
        {
            return 0; // transient bounces, deliveries and other events blacklist nothing
        }

        var messageId = root.TryGetProperty("mail", out var mail) ? Read(mail, "messageId") : null;
        var count = 0;
        foreach (var recipient in recipients)
        {
            if (EmailAddress.TryNormalize(recipient, out var address))
            {
                await blacklist.AddAsync(address, reason, BlacklistSources.SesNotification, clock.GetUtcNow(), cancellationToken);
                if (messageId is not null)
                {
                    await log.UpdateByMessageIdAsync(messageId, address, status, logReason, cancellationToken);
                }

                count++;
            }
        }

        LogApplied(logger, type!, count);
        return count;
    }

    /// <summary>"SES: complaint", with the feedback type the mailbox provider gave ("abuse", "not-spam", …) when it gave one.</summary>
    private static string ComplaintReason(JsonElement complaint) =>
        Read(complaint, "complaintFeedbackType") is { Length: > 0 and <= 40 } feedback && feedback.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-')
            ? $"SES: complaint ({feedback})"
            : "SES: complaint";

    private static List<string> Addresses(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(r => Read(r, "emailAddress")).OfType<string>()]
            : [];

    private static string? Read(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "SNS subscription to {TopicArn} confirmed.")]
    private static partial void LogConfirmed(ILogger logger, string topicArn);

    [LoggerMessage(Level = LogLevel.Information, Message = "SES {Type} notification blacklisted {Count} addresses.")]
    private static partial void LogApplied(ILogger logger, string type, int count);
}
