using System.Net;
using System.Text.Json;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Tests.Delivery;
using Comms.Tests.Infrastructure;

namespace Comms.Tests.EndToEnd;

/// <summary>
/// One library set up over the API of a dev host process, as a library system would do it, with every
/// recipient address under a domain of its own so its mail can be picked out of the shared SES emulator.
/// </summary>
public sealed class E2eLibrary
{
    private readonly DevHostProcess _host;
    private readonly Uri _ses;

    private E2eLibrary(DevHostProcess host, Uri ses, string id, string key)
    {
        _host = host;
        _ses = ses;
        Id = id;
        Key = key;
    }

    public string Id { get; }
    public string Key { get; }
    public string Domain => $"{Id}.e2e.example.org";
    public string FromAddress => $"desk@{Id}.example.org";

    public static async Task<E2eLibrary> CreateAsync(DevHostProcess host, Uri ses, NoticeTiming timing)
    {
        var id = "e2e" + Guid.NewGuid().ToString("N")[..10];
        var library = Samples.Library(id) with { Timing = timing, TimeZone = "UTC" };
        using var response = await host.Http.SendAsync(ApiClient.Request(HttpMethod.Post, "/api/libraries", library, adminKey: TestServices.AdminKey));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return new E2eLibrary(host, ses, id, (await response.JsonAsync())["apiKey"]!.GetValue<string>());
    }

    public string Address(string local) => $"{local}@{Domain}";

    /// <summary>A patron with their own contact and, optionally, a parent's.</summary>
    public async Task AddPatronAsync(string patronId, bool withParent = false)
    {
        List<Contact> contacts = [new() { Role = ContactRole.Patron, Name = $"Patron {patronId}", Email = Address(patronId) }];
        if (withParent)
        {
            contacts.Add(new() { Role = ContactRole.Parent, Name = $"Parent of {patronId}", Email = Address("parent." + patronId) });
        }

        var patron = new Patron { Id = patronId, Name = $"Patron {patronId}", Contacts = contacts };
        await SendAsync(HttpMethod.Put, $"patrons/{patronId}", patron, HttpStatusCode.OK, HttpStatusCode.Created);
    }

    /// <summary>Calls /api/libraries/{id}/{path} with the library's key and checks the status.</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, params HttpStatusCode[] expected)
    {
        using var request = ApiClient.Request(method, $"/api/libraries/{Id}/{path}", body, libraryKey: Key);
        using var response = await _host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected.Contains(response.StatusCode), $"{method} {path}: expected {string.Join("/", expected)}, got {response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Sends without checking the answer: for callers that retry, such as a post a kill cut off.</summary>
    public async Task<(HttpStatusCode Status, string Body)> TrySendAsync(HttpMethod method, string path, object? body)
    {
        using var request = ApiClient.Request(method, $"/api/libraries/{Id}/{path}", body, libraryKey: Key);
        using var response = await _host.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// What aws-ses-v2-local received for this library's recipients, with addresses bare
    /// ("Books Ltd &lt;orders@x&gt;" becomes "orders@x") so tests compare them directly.
    /// </summary>
    public async Task<IReadOnlyList<StoredEmail>> SesEmailsAsync()
    {
        var all = await SesStore.EmailsAsync(_ses, _ => true);
        return [.. all.Select(e => e with { From = Bare(e.From), To = [.. e.To.Select(Bare)], Bcc = [.. e.Bcc.Select(Bare)] })
            .Where(e => e.To.Concat(e.Bcc).Any(a => a.EndsWith("@" + Domain, StringComparison.OrdinalIgnoreCase)))];
    }

    private static string Bare(string address) =>
        address.LastIndexOf('<') is var open and >= 0 && address.EndsWith('>') ? address[(open + 1)..^1] : address;

    /// <summary>Every email log row with the given status (null: every row), all pages.</summary>
    public async Task<IReadOnlyList<JsonElement>> LogAsync(string? status = "Sent")
    {
        var rows = new List<JsonElement>();
        string? token = null;
        do
        {
            var query = "email-log?pageSize=1000" + (status is null ? "" : "&status=" + status) + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await SendAsync(HttpMethod.Get, query, null, HttpStatusCode.OK);
            rows.AddRange(page.GetProperty("items").EnumerateArray());
            token = page.TryGetProperty("continuationToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        }
        while (token is not null);
        return rows;
    }

    /// <summary>Polls until the condition holds; the bound is generous for a loaded 2-core CI machine.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, Func<T, string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout}: {describe(value)}");
            }

            await Task.Delay(500);
        }
    }
}
