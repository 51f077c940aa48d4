using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Comms.Common;
using Comms.Security;

namespace Comms.Tests.Infrastructure;

/// <summary>Small helpers for calling the API as a library system would: JSON in, JSON or problem+json out.</summary>
public static class ApiClient
{
    public static HttpRequestMessage Request(HttpMethod method, string path, object? body = null, string? libraryKey = null, string? adminKey = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is string raw)
        {
            request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: CommsJson.Options);
        }

        if (libraryKey is not null)
        {
            request.Headers.Add(LibraryAccess.LibraryKeyHeader, libraryKey);
        }

        if (adminKey is not null)
        {
            request.Headers.Add(LibraryAccess.AdminKeyHeader, adminKey);
        }

        return request;
    }

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidDataException("Empty body");

    /// <summary>Creates a library through the API as the platform admin and returns its one-time key.</summary>
    public static async Task<string> CreateLibraryAsync(this HttpClient client, string libraryId)
    {
        using var response = await client.SendAsync(Request(HttpMethod.Post, "/api/libraries", Samples.Library(libraryId), adminKey: TestServices.AdminKey));
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync())["apiKey"]!.GetValue<string>();
    }

    /// <summary>Asserts a problem+json answer with the status and, when given, an error for each named field.</summary>
    public static async Task<JsonNode> AssertProblemAsync(this HttpResponseMessage response, int status, params string[] fields)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonNode.Parse(body)!;
        foreach (var field in fields)
        {
            var errors = json["errors"]?.AsObject();
            Assert.True(errors is not null && errors.ContainsKey(field), $"No error for '{field}' in {body}");
        }

        return json;
    }

    public static string Serialize(object value) => JsonSerializer.Serialize(value, CommsJson.Options);
}
