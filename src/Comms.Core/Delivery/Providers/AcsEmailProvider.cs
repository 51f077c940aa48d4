using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Extensions.Options;

namespace Comms.Delivery.Providers;

/// <summary>
/// Azure Communication Services Email (REST 2025-09-01, the newest GA version) through Azure.Core's pipeline.
/// The Operation-Id is a GUID derived from the message key, so a repeated send of the same notice is one
/// operation at the service: the service answers a repeat with 409, and the provider then reads that
/// operation's outcome instead of sending again or calling it a failure.
/// </summary>
public sealed class AcsEmailProvider : IEmailProvider
{
    public const string ApiVersion = "2025-09-01";
    public const string Scope = "https://communication.azure.com//.default";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly AcsOptions _options;
    private readonly TimeProvider _clock;
    private readonly string _platformSender;

    public AcsEmailProvider(IOptions<EmailOptions> options, TimeProvider clock)
    {
        _options = options.Value.Acs;
        _platformSender = options.Value.PlatformSender;
        _clock = clock;
        var clientOptions = new AcsClientOptions();
        clientOptions.Retry.MaxRetries = 0; // the delivery pipeline owns retries, so Retry-After is counted once
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(Math.Max(1, _options.TimeoutSeconds));
        clientOptions.Diagnostics.IsLoggingContentEnabled = false; // bodies hold personal data

        HttpPipelinePolicy auth;
        if (AcsConnectionString.TryParse(_options.ConnectionString, out var connection))
        {
            _endpoint = connection.Endpoint;
            auth = new AcsHmacPolicy(connection.AccessKey, clock);
        }
        else
        {
            _endpoint = _options.Endpoint ?? throw new InvalidOperationException("Comms:Email:Acs:Endpoint is not set.");
            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrWhiteSpace(_options.ManagedIdentityClientId) ? null : _options.ManagedIdentityClientId,
            });
            auth = new BearerTokenAuthenticationPolicy(credential, Scope);
        }

        _pipeline = HttpPipelineBuilder.Build(clientOptions, auth);
    }

    public string Name => ProviderNames.Acs;

    public bool IdempotentByMessageKey => true;

    /// <summary>A stable GUID for a message key: the first 16 bytes of its SHA-256, marked as version 8.</summary>
    public static Guid OperationIdFor(string messageKey)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(messageKey), hash);
        var bytes = hash[..16].ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public async Task<ProviderResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken = default)
    {
        var operationId = OperationIdFor(email.MessageKey).ToString("D");
        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = RequestMethod.Post;
        request.Uri.Reset(new Uri(_endpoint, $"./emails:send?api-version={ApiVersion}"));
        request.Headers.SetValue("Content-Type", "application/json");
        request.Headers.SetValue("Operation-Id", operationId);
        request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(ToRequest(ProviderSender.Apply(email, _platformSender, _options.Sender)), Json));

        try
        {
            await _pipeline.SendAsync(message, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            return ProviderResult.Down($"ACS unreachable: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProviderResult.Down("ACS did not answer in time.");
        }

        var response = message.Response;
        if (response.Status is 202 or 200)
        {
            if (!_options.PollToTerminal || !response.Headers.TryGetValue("Operation-Location", out var location))
            {
                return ProviderResult.Accepted(operationId);
            }

            return await PollAsync(new Uri(location!), operationId, RetryAfter(response), cancellationToken);
        }

        if (response.Status == 409)
        {
            // This Operation-Id was sent before (a retry after a crash or a lost answer): the message is the
            // same operation, so its outcome is that operation's, never a second send or a failure.
            return await OutcomeOfRepeatAsync(operationId, cancellationToken);
        }

        return Classify(response);
    }

    private async Task<ProviderResult> OutcomeOfRepeatAsync(string operationId, CancellationToken cancellationToken)
    {
        var location = new Uri(_endpoint, $"./emails/operations/{operationId}?api-version={ApiVersion}");
        var (status, error) = await ReadStatusAsync(location, cancellationToken);
        if (status is null)
        {
            // Unreadable after a conflict: try again later rather than guess either way.
            return ProviderResult.Down($"ACS answered 409 for operation {operationId} and its status could not be read: {error}");
        }

        return status.Result?.Status switch
        {
            "Failed" or "Canceled" => Failed(status.Result),
            "Succeeded" => ProviderResult.Accepted(operationId),
            _ when !_options.PollToTerminal => ProviderResult.Accepted(operationId),
            _ => await PollAsync(location, operationId, status.RetryAfter, cancellationToken),
        };
    }

    /// <summary>One GET of an operation's status; null with the reason when it cannot be read.</summary>
    private async Task<(OperationStatus? Status, string? Error)> ReadStatusAsync(Uri location, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(location);
        try
        {
            await _pipeline.SendAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (null, e.Message);
        }

        var response = message.Response;
        return response.Status == 200
            ? (new OperationStatus(JsonSerializer.Deserialize<SendResult>(response.Content.ToMemory().Span, Json), RetryAfter(response)), null)
            : (null, $"status read answered {response.Status.ToString(CultureInfo.InvariantCulture)}");
    }

    private static ProviderResult Failed(SendResult result) =>
        ProviderResult.Permanent($"ACS operation {result.Status}: {result.Error?.Code} {result.Error?.Message}".TrimEnd());

    private async Task<ProviderResult> PollAsync(Uri location, string operationId, TimeSpan? firstWait, CancellationToken cancellationToken)
    {
        var deadline = _clock.GetUtcNow() + TimeSpan.FromSeconds(_options.PollTimeoutSeconds);
        var wait = firstWait ?? TimeSpan.FromSeconds(1);
        while (true)
        {
            if (_clock.GetUtcNow() + wait > deadline)
            {
                // Accepted at the service; the final status arrives through Event Grid / Azure Monitor.
                return ProviderResult.Accepted(operationId);
            }

            await Task.Delay(wait, _clock, cancellationToken);
            var (status, _) = await ReadStatusAsync(location, cancellationToken);
            switch (status?.Result?.Status)
            {
                case null:
                    return ProviderResult.Accepted(operationId); // the send itself was accepted; only the status read failed
                case "Succeeded":
                    return ProviderResult.Accepted(operationId);
                case "Failed" or "Canceled":
                    return Failed(status.Result);
            }

            wait = status.RetryAfter ?? TimeSpan.FromSeconds(1);
        }
    }

    private static ProviderResult Classify(Response response)
    {
        var error = TryReadError(response);
        var reason = $"ACS {response.Status.ToString(CultureInfo.InvariantCulture)} {error?.Code}: {error?.Message}".TrimEnd(' ', ':');
        return response.Status switch
        {
            429 => ProviderResult.Transient(reason, RetryAfter(response)),
            401 or 403 => ProviderResult.Down(reason, retryable: false),
            408 or >= 500 => ProviderResult.Down(reason, retryAfter: RetryAfter(response)),
            _ => ProviderResult.Permanent(reason),
        };
    }

    private static TimeSpan? RetryAfter(Response response) =>
        response.Headers.TryGetValue("Retry-After", out var value) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;

    private static ErrorDetail? TryReadError(Response response)
    {
        try
        {
            return JsonSerializer.Deserialize<ErrorResponse>(response.Content.ToMemory().Span, Json)?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static EmailMessage ToRequest(OutgoingEmail email) => new(
        email.From.Address,
        new EmailContent(email.Subject, email.Text, email.Html),
        new EmailRecipients(
            [.. email.To.Select(Address)],
            email.Bcc.Count > 0 ? [.. email.Bcc.Select(Address)] : null),
        email.ReplyTo is null ? null : [Address(email.ReplyTo)],
        Headers(email),
        UserEngagementTrackingDisabled: true);

    /// <summary>Reporting tags as x-comms-* headers, and the standard headers (List-Unsubscribe, Auto-Submitted) as they are.</summary>
    private static Dictionary<string, string>? Headers(OutgoingEmail email)
    {
        var headers = email.Tags.ToDictionary(t => "x-comms-" + t.Key, t => t.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in email.Headers)
        {
            headers[name] = value;
        }

        return headers.Count > 0 ? headers : null;
    }

    // A display name is one line: a CR or LF from a name would be a header break in the message ACS builds.
    private static EmailAddressJson Address(Mailbox mailbox) =>
        new(mailbox.Address, string.IsNullOrWhiteSpace(mailbox.DisplayName) ? null : MessageBuilder.SingleLine(mailbox.DisplayName));

    private sealed class AcsClientOptions : ClientOptions;

    /// <summary>Tracking off per message too: links in library notices are never rewritten.</summary>
    private sealed record EmailMessage(string SenderAddress, EmailContent Content, EmailRecipients Recipients, EmailAddressJson[]? ReplyTo, Dictionary<string, string>? Headers, bool UserEngagementTrackingDisabled);

    private sealed record EmailContent(string Subject, string PlainText, string Html);

    private sealed record EmailRecipients(EmailAddressJson[] To, EmailAddressJson[]? Bcc);

    private sealed record EmailAddressJson(string Address, string? DisplayName);

    private sealed record SendResult(string Id, string Status, ErrorDetail? Error);

    private sealed record OperationStatus(SendResult? Result, TimeSpan? RetryAfter);

    private sealed record ErrorResponse(ErrorDetail? Error);

    private sealed record ErrorDetail(string? Code, string? Message);
}
