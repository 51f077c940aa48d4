using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Core;
using Microsoft.Extensions.Options;

namespace Comms.Suppression;

/// <summary>
/// ACS suppression lists are ARM resources
/// (.../emailServices/{svc}/domains/{domain}/suppressionLists/{list}/suppressionListAddresses), listed with
/// nextLink paging and deleted one address resource at a time, with the app's managed identity. The page
/// token is "{list index}|{nextLink}" so a run over several lists resumes in the right one. ACS has no date
/// filter, so every run reads the whole lists (they are customer-managed and small next to SES's).
/// </summary>
public sealed class AcsSuppressionSource(IOptions<SuppressionOptions> options, ArmCredential credential, TimeProvider clock) : ISuppressionSource, IDisposable
{
    private static readonly string[] Scopes = ["https://management.azure.com/.default"];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly AcsSuppressionOptions _options = options.Value.Acs;
    private AccessToken _token;

    public string Name => BlacklistSources.Acs;

    public bool IsEnabled => _options.ListIds.Count > 0;

    public bool SupportsIncremental => false;

    public async Task<SuppressionPage> ReadPageAsync(SyncWindow window, string? token, CancellationToken cancellationToken)
    {
        var lists = _options.ListIds;
        var (index, link) = ParseToken(token);
        if (index >= lists.Count)
        {
            return new SuppressionPage([], null);
        }

        // The bearer token goes only to the configured ARM host, whatever a nextLink says.
        if (link is not null && !string.Equals(link.Authority, _options.ArmEndpoint.Authority, StringComparison.OrdinalIgnoreCase))
        {
            throw new SuppressionProviderException("ARM returned a nextLink on another host; refusing to follow it.");
        }

        var url = link ?? new Uri(_options.ArmEndpoint, $"{lists[index].TrimStart('/')}/suppressionListAddresses?api-version={_options.ApiVersion}");
        using var doc = JsonDocument.Parse(await SendAsync(HttpMethod.Get, url, cancellationToken) ?? "{}");
        var items = new List<SuppressedAddress>();
        if (doc.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array)
        {
            foreach (var resource in value.EnumerateArray())
            {
                var props = resource.GetProperty("properties");
                var email = props.TryGetProperty("email", out var e) ? e.GetString() : null;
                if (string.IsNullOrEmpty(email))
                {
                    continue;
                }

                var modified = props.TryGetProperty("lastModified", out var m) && m.ValueKind == JsonValueKind.String && m.TryGetDateTimeOffset(out var at) ? at : clock.GetUtcNow();
                var notes = props.TryGetProperty("notes", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                items.Add(new SuppressedAddress(email, string.IsNullOrWhiteSpace(notes) ? "on the ACS suppression list" : notes!, modified, resource.GetProperty("id").GetString()));
            }
        }

        var next = doc.RootElement.TryGetProperty("nextLink", out var nl) && nl.ValueKind == JsonValueKind.String ? nl.GetString() : null;
        var nextToken = !string.IsNullOrEmpty(next) ? $"{index}|{next}" : index + 1 < lists.Count ? $"{index + 1}|" : null;
        return new SuppressionPage(items, nextToken);
    }

    public async Task<bool> RemoveAsync(BlacklistEntry entry, CancellationToken cancellationToken)
    {
        var id = entry.ProviderRef ?? await FindAsync(entry.Address, cancellationToken);
        if (id is null)
        {
            return false;
        }

        return await SendAsync(HttpMethod.Delete, new Uri(_options.ArmEndpoint, $"{id.TrimStart('/')}?api-version={_options.ApiVersion}"), cancellationToken) is not null;
    }

    // An address blacklisted by a delivery report has no resource id yet: look for it in the lists.
    private async Task<string?> FindAsync(string address, CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await ReadPageAsync(new SyncWindow(null, null), token, cancellationToken);
            var hit = page.Items.FirstOrDefault(i => string.Equals(i.Address, address, StringComparison.OrdinalIgnoreCase));
            if (hit is not null)
            {
                return hit.ProviderRef;
            }

            token = page.NextToken;
        }
        while (token is not null);
        return null;
    }

    private async Task<string?> SendAsync(HttpMethod method, Uri url, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken));
            using var response = await _http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return string.IsNullOrEmpty(text) ? "{}" : text;
            }

            if (response.StatusCode == HttpStatusCode.NotFound && method == HttpMethod.Delete)
            {
                return null;
            }

            if ((response.StatusCode is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError) && attempt < 6)
            {
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt));
                await Task.Delay(wait, clock, cancellationToken);
                continue;
            }

            throw new SuppressionProviderException($"ARM {(int)response.StatusCode} on the ACS suppression list: {(text.Length > 300 ? text[..300] : text)}");
        }
    }

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (_token.ExpiresOn - clock.GetUtcNow() < TimeSpan.FromMinutes(5))
        {
            _token = await credential.Credential.GetTokenAsync(new TokenRequestContext(Scopes), cancellationToken);
        }

        return _token.Token;
    }

    private static (int Index, Uri? Link) ParseToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (0, null);
        }

        var bar = token.IndexOf('|', StringComparison.Ordinal);
        var index = int.Parse(token.AsSpan(0, bar), System.Globalization.CultureInfo.InvariantCulture);
        return (index, bar + 1 < token.Length ? new Uri(token[(bar + 1)..]) : null);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The credential for ARM calls: the app's managed identity in Azure; tests swap in a fake.</summary>
public sealed class ArmCredential(TokenCredential credential)
{
    public TokenCredential Credential { get; } = credential;
}
