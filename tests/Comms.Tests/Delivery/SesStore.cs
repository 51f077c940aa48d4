using System.Net.Http.Json;
using System.Text.Json;

namespace Comms.Tests.Delivery;

/// <summary>What aws-ses-v2-local stored, read from its GET /store endpoint.</summary>
public static class SesStore
{
    private static readonly HttpClient Http = new();

    public static async Task<IReadOnlyList<StoredEmail>> EmailsAsync(Uri sesEndpoint, Func<StoredEmail, bool> filter)
    {
        var store = await Http.GetFromJsonAsync<JsonElement>(new Uri(sesEndpoint, "store"));
        return [.. store.GetProperty("emails").EnumerateArray().Select(Parse).Where(filter)];
    }

    private static StoredEmail Parse(JsonElement e)
    {
        var destination = e.GetProperty("destination");
        string[] List(string name) => [.. destination.GetProperty(name).EnumerateArray().Select(a => a.GetString()!)];
        var body = e.GetProperty("body");
        return new StoredEmail(
            e.GetProperty("messageId").GetString()!,
            e.GetProperty("from").GetString()!,
            [.. e.GetProperty("replyTo").EnumerateArray().Select(a => a.GetString()!)],
            List("to"),
            List("bcc"),
            e.GetProperty("subject").GetString()!,
            body.TryGetProperty("html", out var html) ? html.GetString() : null,
            body.TryGetProperty("text", out var text) ? text.GetString() : null)
        {
            Headers = e.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Array
                ? [.. headers.EnumerateArray().Select(h => new KeyValuePair<string, string>(h.GetProperty("name").GetString()!, h.GetProperty("value").GetString()!))]
                : [],
        };
    }
}

public sealed record StoredEmail(string MessageId, string From, string[] ReplyTo, string[] To, string[] Bcc, string Subject, string? Html, string? Text)
{
    /// <summary>The custom headers SES was asked to add (Simple content's Headers), as the emulator stored them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}
