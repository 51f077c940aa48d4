using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Comms.Delivery.Providers;
using Comms.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Comms.Tests.Delivery;

/// <summary>
/// Stands in for Azure Communication Services Email on a free port. It checks every request's HMAC
/// signature the way the service does (recomputing the body hash and the string to sign from what arrived),
/// plays a scripted sequence of send answers, answers a repeated Operation-Id with 409 Conflict as the
/// service does (or, with <see cref="AcceptRepeats"/>, as the same operation again), and reports Running once
/// before Succeeded (or Failed, for <see cref="FailingOperations"/>) when polled.
/// </summary>
public sealed class AcsTestServer : IAsyncDisposable
{
    public static readonly byte[] AccessKey = Encoding.UTF8.GetBytes("acs-test-access-key-0123456789abcdef");
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _polls = new();

    private AcsTestServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }
    public string ConnectionString => $"endpoint={Endpoint};accesskey={Convert.ToBase64String(AccessKey)}";

    /// <summary>Status codes to answer sends with, in order; 202 once the queue is empty.</summary>
    public ConcurrentQueue<int> SendScript { get; } = new();

    public ConcurrentBag<string> SignatureFailures { get; } = [];

    /// <summary>Answer a repeated Operation-Id with 202 again instead of 409.</summary>
    public bool AcceptRepeats { get; set; }

    /// <summary>Operation ids whose poll ends in Failed.</summary>
    public ConcurrentDictionary<string, bool> FailingOperations { get; } = new();

    public int Conflicts;
    public int SendRequests;

    /// <summary>Operations accepted, by Operation-Id, with the message body the first time.</summary>
    public ConcurrentDictionary<string, JsonElement> Operations { get; } = new();

    public static async Task<AcsTestServer> StartAsync()
    {
        var port = NodeProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var server = new AcsTestServer(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapPost("/emails:send", (Func<HttpContext, Task<IResult>>)server.SendAsync);
        app.MapGet("/emails/operations/{id}", (Func<HttpContext, string, Task<IResult>>)server.PollAsync);
        await app.StartAsync();
        return server;
    }

    private async Task<IResult> SendAsync(HttpContext context)
    {
        var body = await ReadAsync(context.Request);
        if (!Verify(context.Request, body))
        {
            return Results.Json(new { error = new { code = "Denied", message = "Signature mismatch" } }, statusCode: 401);
        }

        Interlocked.Increment(ref SendRequests);
        if (SendScript.TryDequeue(out var status) && status != 202)
        {
            if (status == 429)
            {
                context.Response.Headers.RetryAfter = "1";
            }

            return Results.Json(new { error = new { code = status == 429 ? "TooManyRequests" : "ServiceUnavailable", message = "scripted" } }, statusCode: status);
        }

        var operationId = context.Request.Headers["Operation-Id"].ToString();
        if (!Guid.TryParse(operationId, out _) || context.Request.Query["api-version"] != AcsEmailProvider.ApiVersion)
        {
            return Results.Json(new { error = new { code = "BadRequest", message = "operation id or api version" } }, statusCode: 400);
        }

        if (!Operations.TryAdd(operationId, JsonDocument.Parse(body).RootElement.Clone()) && !AcceptRepeats)
        {
            Interlocked.Increment(ref Conflicts);
            return Results.Json(new { error = new { code = "Conflict", message = $"An operation with id {operationId} already exists." } }, statusCode: 409);
        }

        context.Response.Headers["Operation-Location"] = new Uri(Endpoint, $"emails/operations/{operationId}?api-version={AcsEmailProvider.ApiVersion}").ToString();
        context.Response.Headers.RetryAfter = "0";
        return Results.Json(new { id = operationId, status = "Running" }, statusCode: 202);
    }

    private async Task<IResult> PollAsync(HttpContext context, string id)
    {
        if (!Verify(context.Request, await ReadAsync(context.Request)))
        {
            return Results.Json(new { error = new { code = "Denied", message = "Signature mismatch" } }, statusCode: 401);
        }

        if (!Operations.ContainsKey(id) || context.Request.Query["api-version"] != AcsEmailProvider.ApiVersion)
        {
            return Results.Json(new { error = new { code = "NotFound", message = "no such operation" } }, statusCode: 404);
        }

        var polls = _polls.AddOrUpdate(id, 1, (_, n) => n + 1);
        context.Response.Headers.RetryAfter = "0";
        if (polls > 1 && FailingOperations.ContainsKey(id))
        {
            return Results.Json(new { id, status = "Failed", error = new { code = "EmailDroppedAllRecipientsSuppressed", message = "scripted failure" } });
        }

        return Results.Json(new { id, status = polls == 1 ? "Running" : "Succeeded" });
    }

    public int Polls(string operationId) => _polls.GetValueOrDefault(operationId);

    /// <summary>The service's check, written out independently of the client's signing policy.</summary>
    private bool Verify(HttpRequest request, byte[] body)
    {
        var date = request.Headers["x-ms-date"].ToString();
        var hash = request.Headers["x-ms-content-sha256"].ToString();
        var expectedHash = Convert.ToBase64String(SHA256.HashData(body));
        var pathAndQuery = request.Path.Value + request.QueryString.Value;
        var toSign = $"{request.Method}\n{pathAndQuery}\n{date};{request.Host.Value};{hash}";
        using var hmac = new HMACSHA256(AccessKey);
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(toSign)));
        var expected = $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}";
        var fresh = DateTimeOffset.TryParseExact(date, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sent)
            && (DateTimeOffset.UtcNow - sent).Duration() < TimeSpan.FromMinutes(15);
        var ok = fresh && hash == expectedHash && request.Headers.Authorization.ToString() == expected;
        if (!ok)
        {
            SignatureFailures.Add($"{request.Method} {pathAndQuery}");
        }

        return ok;
    }

    private static async Task<byte[]> ReadAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
