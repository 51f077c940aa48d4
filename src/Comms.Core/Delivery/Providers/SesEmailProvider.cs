using System.Net;
using Comms.Common;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Comms.Delivery.Providers;

/// <summary>
/// Amazon SES v2 SendEmail over plain HttpClient, signed with AWSSDK.Core's SigV4 handler (the SES SDK
/// package is not needed for one operation). Errors are classified as the SES v2 API model names them.
/// </summary>
public sealed partial class SesEmailProvider : IEmailProvider, IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private readonly HttpClient _http;
    private readonly SesOptions _options;
    private readonly ILogger<SesEmailProvider> _logger;
    private readonly TimeProvider _clock;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    public SesEmailProvider(IOptions<EmailOptions> options, ILogger<SesEmailProvider> logger, TimeProvider clock)
    {
        _options = options.Value.Ses;
        _logger = logger;
        _clock = clock;
        _http = SesHttp.Create(_options);
    }

    public string Name => ProviderNames.Ses;

    /// <summary>SES has no idempotency key for SendEmail: a repeated call sends again.</summary>
    public bool IdempotentByMessageKey => false;

    /// <summary>How long sending stops after SES reports a paused account before we ask again.</summary>
    public static TimeSpan PauseAfterSendingPaused { get; } = TimeSpan.FromMinutes(15);

    public async Task<ProviderResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken = default)
    {
        if (SesHttp.UnresolvedKey(_options) is { } setting)
        {
            // Retrying cannot fix it; failing over can.
            return ProviderResult.Down(SecretReferences.Problem(setting), retryable: false);
        }

        if (_clock.GetUtcNow() < _pausedUntil)
        {
            return ProviderResult.Down($"SES sending is paused until {_pausedUntil:O}.", retryable: false);
        }

        try
        {
            using var response = await _http.PostAsJsonAsync(new Uri("v2/email/outbound-emails", UriKind.Relative), ToRequest(email), Json, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadFromJsonAsync<SendEmailResponse>(Json, cancellationToken);
                return body?.MessageId is { Length: > 0 } id
                    ? ProviderResult.Accepted(id)
                    : ProviderResult.Down("SES answered without a MessageId.");
            }

            return await ClassifyAsync(response, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return ProviderResult.Down($"SES unreachable: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProviderResult.Down("SES did not answer in time.");
        }
    }

    private async Task<ProviderResult> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var (type, message) = SesError.Parse(response, text);
        var reason = $"SES {(int)response.StatusCode} {type}: {message}";
        var retryAfter = response.Headers.RetryAfter?.Delta;
        switch (type)
        {
            case "TooManyRequestsException" or "LimitExceededException":
                return ProviderResult.Transient(reason, retryAfter);
            case "MessageRejected" or "MailFromDomainNotVerifiedException" or "BadRequestException" or "NotFoundException":
                return ProviderResult.Permanent(reason);
            case "AccountSuspendedException" or "SendingPausedException":
                _pausedUntil = _clock.GetUtcNow() + PauseAfterSendingPaused;
                LogPaused(_logger, type, PauseAfterSendingPaused);
                return ProviderResult.Down(reason, retryable: false);
        }

        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => ProviderResult.Transient(reason, retryAfter),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ProviderResult.Down(reason, retryable: false),
            >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout => ProviderResult.Down(reason, retryAfter: retryAfter),
            _ => ProviderResult.Permanent(reason),
        };
    }

    private SendEmailRequest ToRequest(OutgoingEmail email) => new(
        FromEmailAddress: MailboxText.Format(email.From),
        Destination: new Destination(
            email.To.Count > 0 ? [.. email.To.Select(MailboxText.Format)] : null,
            email.Bcc.Count > 0 ? [.. email.Bcc.Select(MailboxText.Format)] : null),
        ReplyToAddresses: email.ReplyTo is null ? null : [MailboxText.Format(email.ReplyTo)],
        // Simple content's Headers (SES v2) carry List-Unsubscribe and Auto-Submitted as they are; SES adds its own
        // List-Unsubscribe only when a contact list is named, which these notices never do.
        Content: new Content(new Simple(
            new Charset(email.Subject),
            new Body(new Charset(email.Text), new Charset(email.Html)),
            email.Headers.Count == 0 ? null : [.. email.Headers.Select(h => new MessageHeader(h.Key, h.Value))])),
        ConfigurationSetName: string.IsNullOrWhiteSpace(_options.ConfigurationSetName) ? null : _options.ConfigurationSetName,
        EmailTags: email.Tags.Count == 0 ? null : [.. email.Tags.Select(t => new Tag(t.Key, SesTagValue(t.Value)))]);

    // SES tag values allow only ASCII letters, digits, '_', '-', '.', '@'.
    private static string SesTagValue(string value) =>
        new([.. value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '@' ? c : '_')]);

    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Critical, Message = "SES reported {ErrorType}: sending through SES is paused for {Pause}. Check the AWS account.")]
    private static partial void LogPaused(ILogger logger, string errorType, TimeSpan pause);

    private sealed record SendEmailRequest(string FromEmailAddress, Destination Destination, string[]? ReplyToAddresses, Content Content, string? ConfigurationSetName, Tag[]? EmailTags);

    private sealed record Destination(string[]? ToAddresses, string[]? BccAddresses);

    private sealed record Content(Simple Simple);

    private sealed record Simple(Charset Subject, Body Body, MessageHeader[]? Headers);

    private sealed record MessageHeader(string Name, string Value);

    private sealed record Body(Charset Text, Charset Html);

    private sealed record Charset(string Data)
    {
        [JsonPropertyName("Charset")]
        public string Encoding => "UTF-8";
    }

    private sealed record Tag(string Name, string Value);

    private sealed record SendEmailResponse(string? MessageId);
}

/// <summary>Reads an SES error name the way the rest-json protocol carries it.</summary>
internal static class SesError
{
    public static (string Type, string Message) Parse(HttpResponseMessage response, string body)
    {
        string? type = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault() : null;
        string? message = null;
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                type ??= Read(root, "__type") ?? Read(root, "code") ?? Read(root, "type");
                message = Read(root, "message") ?? Read(root, "Message");
            }
        }
        catch (JsonException)
        {
            message = body.Length > 200 ? body[..200] : body;
        }

        return (Normalize(type), message ?? response.ReasonPhrase ?? string.Empty);
    }

    // "aws.ses#MessageRejected" or "MessageRejected:http://internal.amazon.com/..." → "MessageRejected".
    internal static string Normalize(string? type)
    {
        if (string.IsNullOrWhiteSpace(type))
        {
            return "Unknown";
        }

        var name = type;
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        name = colon >= 0 ? name[..colon] : name;
        var hash = name.LastIndexOf('#');
        return hash >= 0 ? name[(hash + 1)..] : name;
    }

    private static string? Read(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
