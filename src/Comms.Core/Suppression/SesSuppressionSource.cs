using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Comms.Delivery;
using Comms.Delivery.Providers;
using Microsoft.Extensions.Options;

namespace Comms.Suppression;

/// <summary>
/// The SES v2 account suppression list: ListSuppressedDestinations (GET /v2/email/suppression/addresses,
/// paged with NextToken, filtered by StartDate/EndDate and Reason) and DeleteSuppressedDestination, on the
/// same SigV4-signed client as sending. Throttling (TooManyRequestsException, 429) and 5xx are retried here.
/// </summary>
public sealed class SesSuppressionSource : ISuppressionSource, IDisposable
{
    private readonly Lazy<HttpClient> _http;
    private readonly SesSuppressionOptions _options;
    private readonly TimeProvider _clock;

    public SesSuppressionSource(IOptions<EmailOptions> email, IOptions<SuppressionOptions> options, TimeProvider clock)
    {
        _options = options.Value.Ses;
        _clock = clock;

        // Built on first use: a deployment that never syncs SES needs no AWS credentials.
        var ses = email.Value.Ses;
        _http = new Lazy<HttpClient>(() => SesHttp.Create(_options.ServiceUrl is null ? ses : new SesOptions
        {
            Region = ses.Region,
            AccessKeyId = ses.AccessKeyId,
            SecretAccessKey = ses.SecretAccessKey,
            TimeoutSeconds = ses.TimeoutSeconds,
            ServiceUrl = _options.ServiceUrl,
        }));
    }

    public string Name => BlacklistSources.Ses;

    public bool IsEnabled => _options.Enabled;

    public bool SupportsIncremental => true;

    public async Task<SuppressionPage> ReadPageAsync(SyncWindow window, string? token, CancellationToken cancellationToken)
    {
        var query = new StringBuilder("v2/email/suppression/addresses?Reason=BOUNCE&Reason=COMPLAINT&PageSize=")
            .Append(_options.PageSize.ToString(CultureInfo.InvariantCulture));
        AppendDate(query, "StartDate", window.Start);
        AppendDate(query, "EndDate", window.End);
        if (token is not null)
        {
            query.Append("&NextToken=").Append(Uri.EscapeDataString(token));
        }

        var text = await SendAsync(HttpMethod.Get, query.ToString(), allowNotFound: false, cancellationToken);
        using var doc = JsonDocument.Parse(text ?? "{}");
        var items = new List<SuppressedAddress>();
        if (doc.RootElement.TryGetProperty("SuppressedDestinationSummaries", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                var address = item.GetProperty("EmailAddress").GetString() ?? string.Empty;
                var reason = item.TryGetProperty("Reason", out var r) ? r.GetString() : null;
                items.Add(new SuppressedAddress(address, ReasonText(reason), ReadTime(item)));
            }
        }

        var next = doc.RootElement.TryGetProperty("NextToken", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return new SuppressionPage(items, string.IsNullOrEmpty(next) ? null : next);
    }

    public async Task<bool> RemoveAsync(BlacklistEntry entry, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Delete, "v2/email/suppression/addresses/" + Uri.EscapeDataString(entry.Address), allowNotFound: true, cancellationToken) is not null;

    /// <summary>SES reasons as staff read them.</summary>
    public static string ReasonText(string? reason) => reason switch
    {
        "BOUNCE" => "hard bounce",
        "COMPLAINT" => "complaint",
        _ => reason?.ToLowerInvariant() ?? "suppressed",
    };

    /// <summary>Returns the body, or null for an allowed 404.</summary>
    private async Task<string?> SendAsync(HttpMethod method, string path, bool allowNotFound, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
                response = await _http.Value.SendAsync(request, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (attempt >= _options.MaxAttempts)
                {
                    throw new SuppressionProviderException($"SES unreachable: {e.Message}");
                }

                await Task.Delay(Backoff(attempt, null), _clock, cancellationToken);
                continue;
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return text;
                }

                var (type, message) = SesError.Parse(response, text);
                if (allowNotFound && (type == "NotFoundException" || response.StatusCode == HttpStatusCode.NotFound))
                {
                    return null;
                }

                var retryable = type is "TooManyRequestsException" or "LimitExceededException"
                    || response.StatusCode is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError;
                if (!retryable || attempt >= _options.MaxAttempts)
                {
                    throw new SuppressionProviderException($"SES {(int)response.StatusCode} {type}: {message}", tokenExpired: type == "InvalidNextTokenException");
                }

                await Task.Delay(Backoff(attempt, response.Headers.RetryAfter?.Delta), _clock, cancellationToken);
            }
        }
    }

    // Exponential with jitter, at least what SES asked for; SES allows about one list call per second.
    private static TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var exponential = TimeSpan.FromMilliseconds(Math.Min(20_000, 250 * Math.Pow(2, attempt - 1)) * (0.5 + (Random.Shared.NextDouble() / 2)));
        return retryAfter is { } r && r > exponential ? r : exponential;
    }

    private static void AppendDate(StringBuilder query, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        }
    }

    // rest-json timestamps in a body are epoch seconds; accept ISO text too.
    private static DateTimeOffset ReadTime(JsonElement item)
    {
        if (!item.TryGetProperty("LastUpdateTime", out var t))
        {
            return DateTimeOffset.UnixEpoch;
        }

        return t.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(t.GetDouble() * 1000))
            : DateTimeOffset.Parse(t.GetString() ?? "1970-01-01T00:00:00Z", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    public void Dispose()
    {
        if (_http.IsValueCreated)
        {
            _http.Value.Dispose();
        }
    }
}
