using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Comms.Delivery;
using Comms.Delivery.Providers;
using Microsoft.Extensions.Options;

namespace Comms.Sms.Providers;

/// <summary>
/// Azure Communication Services SMS (REST 2021-03-07, GA) through Azure.Core's pipeline, signed like the email client
/// (HMAC-SHA256 from the connection string, or Entra ID). Each recipient carries a repeatability request id derived
/// from the notice and the time of the first attempt, so the service takes a repeat after a crash as the same SMS.
/// </summary>
public sealed class AcsSmsProvider : ISmsProvider
{
    public const string ApiVersion = "2021-03-07";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly bool _deliveryReport;

    public AcsSmsProvider(IOptions<SmsOptions> options, TimeProvider clock)
    {
        var acs = options.Value.Acs;
        _deliveryReport = options.Value.EnableDeliveryReport;
        var clientOptions = new AcsSmsClientOptions();
        clientOptions.Retry.MaxRetries = 0; // the SMS sender owns retries
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(acs.TimeoutSeconds);
        clientOptions.Diagnostics.IsLoggingContentEnabled = false; // numbers and texts are personal data

        HttpPipelinePolicy auth;
        if (AcsConnectionString.TryParse(acs.ConnectionString, out var connection))
        {
            _endpoint = connection.Endpoint;
            auth = new AcsHmacPolicy(connection.AccessKey, clock);
        }
        else
        {
            _endpoint = acs.Endpoint ?? throw new InvalidOperationException("Comms:Sms:Acs:Endpoint is not set.");
            auth = new BearerTokenAuthenticationPolicy(
                new DefaultAzureCredential(new DefaultAzureCredentialOptions
                {
                    ManagedIdentityClientId = string.IsNullOrWhiteSpace(acs.ManagedIdentityClientId) ? null : acs.ManagedIdentityClientId,
                }),
                AcsEmailProvider.Scope);
        }

        _pipeline = HttpPipelineBuilder.Build(clientOptions, auth);
    }

    public string Name => SmsProviderNames.Acs;

    public async Task<ProviderResult> SendAsync(OutgoingSms sms, CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = RequestMethod.Post;
        request.Uri.Reset(new Uri(_endpoint, $"./sms?api-version={ApiVersion}"));
        request.Headers.SetValue("Content-Type", "application/json");
        var body = new SendMessageRequest(
            sms.From,
            [new SmsRecipient(sms.To, sms.RepeatabilityRequestId.ToString("D"), sms.FirstSentAt.ToString("r", CultureInfo.InvariantCulture))],
            sms.Text,
            new SmsSendOptions(_deliveryReport, sms.Tag));
        request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(body, Json));

        try
        {
            await _pipeline.SendAsync(message, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            return ProviderResult.Down($"ACS SMS unreachable: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProviderResult.Down("ACS SMS did not answer in time.");
        }

        var response = message.Response;
        if (response.Status is 202 or 200 && Read(response)?.Value is [var item])
        {
            return item.Successful && item.MessageId is { } id
                ? ProviderResult.Accepted(id)
                : Classify(item.HttpStatusCode, $"ACS SMS {item.HttpStatusCode.ToString(CultureInfo.InvariantCulture)}: {item.ErrorMessage}", null);
        }

        return Classify(response.Status, $"ACS SMS {response.Status.ToString(CultureInfo.InvariantCulture)}", RetryAfter(response));
    }

    /// <summary>The same classes as the email providers: throttled, service trouble, or this number refused.</summary>
    private static ProviderResult Classify(int status, string reason, TimeSpan? retryAfter) => status switch
    {
        429 => ProviderResult.Transient(reason, retryAfter),
        401 or 403 => ProviderResult.Down(reason, retryable: false),
        408 or >= 500 or (>= 200 and < 300) => ProviderResult.Down(reason, retryAfter: retryAfter),
        _ => ProviderResult.Permanent(reason),
    };

    private static SendResponse? Read(Response response)
    {
        try
        {
            return JsonSerializer.Deserialize<SendResponse>(response.Content.ToMemory().Span, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static TimeSpan? RetryAfter(Response response) =>
        response.Headers.TryGetValue("Retry-After", out var value) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;

    private sealed class AcsSmsClientOptions : ClientOptions;

    private sealed record SendMessageRequest(string From, SmsRecipient[] SmsRecipients, string Message, SmsSendOptions SmsSendOptions);

    private sealed record SmsRecipient(string To, string RepeatabilityRequestId, string RepeatabilityFirstSent);

    private sealed record SmsSendOptions(bool EnableDeliveryReport, string Tag);

    private sealed record SendResponse(SendResponseItem[]? Value);

    private sealed record SendResponseItem(string To, string? MessageId, int HttpStatusCode, bool Successful, string? ErrorMessage);
}
