using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Comms.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Comms.Webhooks;

/// <summary>
/// Posts one status event to the library's webhook as a CloudEvents 1.0 JSON document (structured mode), signed
/// (<see cref="WebhookSigner"/>). Any 2xx is delivered; anything else (or no answer in 10 s) queues the same event,
/// same id, again with backoff until <see cref="WebhookOptions.GiveUpAfter"/>: at least once, never blocking a send.
/// </summary>
public sealed partial class WebhookDelivery(
    WebhookStore store,
    WebhookService webhooks,
    WebhookQueue queue,
    IHttpClientFactory httpClients,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDelivery> logger)
{
    public const string HttpClientName = "webhooks";

    /// <summary>Handles one queue message; one that is not an event of ours is logged and dropped, never poisoned.</summary>
    public async Task DeliverAsync(BinaryData message, CancellationToken cancellationToken = default)
    {
        WebhookEvent? parsed;
        try
        {
            parsed = message.ToObjectFromJson<WebhookEvent>(Outbox.OutboxJson.Options);
        }
        catch (JsonException)
        {
            parsed = null;
        }

        if (parsed is null)
        {
            LogDropped("?", "the queue message is not a status event");
            return;
        }

        await DeliverAsync(parsed, cancellationToken);
    }

    public async Task DeliverAsync(WebhookEvent message, CancellationToken cancellationToken = default)
    {
        var subscription = await store.GetAsync(message.LibraryId, cancellationToken);
        var secret = subscription is null ? null : webhooks.SecretOf(message.LibraryId, subscription);
        if (subscription is null || secret is null)
        {
            LogDropped(message.Id, "the library has no readable webhook");
            return;
        }

        var body = JsonSerializer.Serialize(new CloudEvent(message.Id, $"/api/libraries/{message.LibraryId}/notices", message.Type, message.Subject, message.Time, message.Data), CommsJson.Options);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        string? failure;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json") { CharSet = "utf-8" };
            request.Headers.Add("webhook-id", message.Id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSigner.Sign(secret, message.Id, timestamp, body));
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            failure = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            failure = e is TaskCanceledException ? "no answer in time" : "connection failed";
        }

        if (failure is null)
        {
            return;
        }

        var o = options.Value;
        var delay = o.FirstRetryDelay * Math.Pow(2, Math.Min(message.Attempt - 1, 20));
        delay = delay > o.MaxRetryDelay ? o.MaxRetryDelay : delay;
        if (clock.GetUtcNow() + delay > message.FirstQueuedAt + o.GiveUpAfter)
        {
            LogDropped(message.Id, $"still failing ({failure}) after {message.Attempt} attempts");
            return;
        }

        LogRetrying(message.Id, message.Attempt, failure);
        await queue.SendAsync(message with { Attempt = message.Attempt + 1 }, delay, cancellationToken);
    }

    /// <summary>CloudEvents 1.0, structured JSON mode.</summary>
    private sealed record CloudEvent(string Id, string Source, string Type, string Subject, DateTimeOffset Time, NoticeEventData Data)
    {
        public string Specversion => "1.0";
        public string Datacontenttype => "application/json";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Status event {EventId}: attempt {Attempt} failed ({Failure}); retrying.")]
    private partial void LogRetrying(string eventId, int attempt, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Status event {EventId} dropped: {Why}.")]
    private partial void LogDropped(string eventId, string why);
}
