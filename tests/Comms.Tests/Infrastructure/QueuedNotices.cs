using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Comms.Tests.Infrastructure;

/// <summary>For calls that queue a notice: the answer with its Location, and the notice's status behind an href.</summary>
public static class QueuedNotices
{
    /// <summary>POSTs (a null body sends none) and returns the JSON answer and the Location header.</summary>
    public static async Task<(JsonElement Body, string? Location)> PostAsync(HttpClient client, string path, object? body, HttpStatusCode expected)
    {
        using var response = body is null ? await client.PostAsync(path, null) : await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{path}: expected {expected}, got {response.StatusCode}: {text}");
        return (JsonDocument.Parse(text).RootElement.Clone(), response.Headers.Location?.OriginalString);
    }

    /// <summary>The notice's status (GET href), e.g. "sent" or "skipped".</summary>
    public static async Task<string> StatusAsync(HttpClient client, string href)
    {
        using var response = await client.GetAsync(href);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString()!;
    }

    /// <summary>Asserts a queued-notice answer ({ noticeId, status, href }) and returns its href.</summary>
    public static string AssertQueued(JsonElement notice, string libraryId)
    {
        var id = notice.GetProperty("noticeId").GetString()!;
        var href = notice.GetProperty("href").GetString()!;
        Assert.Equal($"/api/libraries/{libraryId}/notices/{id}", href);
        Assert.Contains(notice.GetProperty("status").GetString(), new[] { "queued", "sending", "sent" });
        return href;
    }
}
