using System.Text.Json;
using Comms.Common;
using Microsoft.AspNetCore.Http;

namespace Comms.Functions.Http;

/// <summary>Reads request bodies with one set of rules: JSON only, bounded size, strict types.</summary>
public static class RequestBody
{
    public const long DefaultMaxBytes = 256 * 1024;

    public static async Task<T> ReadJsonAsync<T>(HttpRequest request, long maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default)
        where T : class
    {
        if (request.ContentType is { } contentType && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw RequestValidationException.For("body", "Send the body as application/json.");
        }

        var bytes = await ReadBoundedAsync(request, maxBytes, cancellationToken);
        if (bytes.Length == 0)
        {
            throw RequestValidationException.For("body", "A JSON body is required.");
        }

        return JsonSerializer.Deserialize<T>(bytes, CommsJson.Options)
            ?? throw RequestValidationException.For("body", "A JSON object is required, not null.");
    }

    /// <summary>As <see cref="ReadJsonAsync{T}"/> for an endpoint whose body may be left out: null when it is empty.</summary>
    public static async Task<T?> ReadOptionalJsonAsync<T>(HttpRequest request, long maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default)
        where T : class
    {
        var bytes = await ReadBoundedAsync(request, maxBytes, cancellationToken);
        if (bytes.Length == 0)
        {
            return null;
        }

        if (request.ContentType is { } contentType && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw RequestValidationException.For("body", "Send the body as application/json.");
        }

        return JsonSerializer.Deserialize<T>(bytes, CommsJson.Options)
            ?? throw RequestValidationException.For("body", "A JSON object is required, not null.");
    }

    /// <summary>Reads at most <paramref name="maxBytes"/>; a larger body is rejected before it is parsed.</summary>
    public static async Task<byte[]> ReadBoundedAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken = default)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static RequestValidationException TooLarge(long maxBytes) =>
        RequestValidationException.For("body", $"The body is larger than the {maxBytes / 1024} KiB this endpoint accepts.");
}
