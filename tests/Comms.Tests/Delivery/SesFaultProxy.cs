using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Comms.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Comms.Tests.Delivery;

/// <summary>
/// A real HTTP proxy on a free loopback port between the app's SES v2 client and aws-ses-v2-local. Each
/// SendEmail request gets what the <see cref="SesFaultPlan"/> says: forwarded, an SES-shaped error, or held
/// unanswered until the client gives up. Counts every request by what it did with it.
/// </summary>
public sealed class SesFaultProxy : IAsyncDisposable
{
    /// <summary>How long a held request may wait for the client to give up before the proxy answers 504 itself.</summary>
    private static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(60);

    private static readonly HashSet<string> HopHeaders = new(["Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer"], StringComparer.OrdinalIgnoreCase);

    private readonly WebApplication _app;
    private readonly Uri _ses;
    private readonly SesFaultPlan _plan;
    private readonly HttpClient _upstream = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly ConcurrentDictionary<SesFault, int> _counts = new();
    private int _unexpected;
    private int _holdsExpired;

    private SesFaultProxy(WebApplication app, Uri endpoint, Uri ses, SesFaultPlan plan)
    {
        _app = app;
        Endpoint = endpoint;
        _ses = ses;
        _plan = plan;
    }

    public Uri Endpoint { get; }

    /// <summary>SendEmail requests by what the proxy did with them.</summary>
    public IReadOnlyDictionary<SesFault, int> Counts => _counts;

    public int Requests => _counts.Values.Sum();

    /// <summary>Requests for anything but SendEmail (answered 404): the app should make none here.</summary>
    public int Unexpected => _unexpected;

    /// <summary>Held requests whose client never gave up: the app's SES timeout did not work.</summary>
    public int HoldsExpired => _holdsExpired;

    /// <summary>
    /// Forwarded requests SES accepted whose client had gone before the answer came back: a response lost to a
    /// client timeout. SES has no idempotency key, so each is a message the app will send a second time.
    /// </summary>
    public ConcurrentBag<string> RepliesLost { get; } = [];

    public static async Task<SesFaultProxy> StartAsync(Uri ses, SesFaultPlan plan)
    {
        var port = NodeProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var proxy = new SesFaultProxy(app, new Uri($"http://127.0.0.1:{port}/"), ses, plan);
        app.MapPost("/v2/email/outbound-emails", (Func<HttpContext, Task>)proxy.SendEmailAsync);
        app.MapFallback((Func<HttpContext, Task>)proxy.UnexpectedAsync);
        await app.StartAsync();
        return proxy;
    }

    private async Task SendEmailAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var key = MessageKey(body);
        var fault = _plan.Next(key);
        _counts.AddOrUpdate(fault, 1, (_, n) => n + 1);
        switch (fault)
        {
            case SesFault.Forwarded:
                await ForwardAsync(context, body, key);
                break;
            case SesFault.InternalError:
                await ErrorAsync(context, StatusCodes.Status500InternalServerError, "InternalServiceErrorException", "Injected internal error.");
                break;
            case SesFault.Unavailable:
                await ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable", "Injected: service unavailable.");
                break;
            case SesFault.ProviderDown:
                await ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable", "Injected: SES is down.");
                break;
            case SesFault.ThrottleStorm:
                context.Response.Headers.RetryAfter = "1";
                await ErrorAsync(context, StatusCodes.Status429TooManyRequests, "TooManyRequestsException", "Injected: maximum sending rate exceeded.");
                break;
            case SesFault.RequestLost:
                await HoldAsync(context);
                break;
        }
    }

    /// <summary>Passes the request on untouched and the answer back; notices when the client has already gone.</summary>
    private async Task ForwardAsync(HttpContext context, byte[] body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_ses, context.Request.Path.Value)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(context.Request.ContentType ?? "application/json");

        // The signature headers go on as they came (the emulator wants an AWS Authorization header); the
        // connection's own headers are the proxy's business.
        foreach (var (name, values) in context.Request.Headers)
        {
            if (!HopHeaders.Contains(name) && !name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        // Not cancelled with the client: once forwarded, SES's answer decides whether the message went out.
        using var response = await _upstream.SendAsync(request, CancellationToken.None);
        var answer = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
        if (context.RequestAborted.IsCancellationRequested)
        {
            if (response.IsSuccessStatusCode)
            {
                RepliesLost.Add(key);
            }

            return;
        }

        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        await context.Response.Body.WriteAsync(answer, CancellationToken.None);
    }

    /// <summary>The rest-json error shape SES v2 answers with: the name in x-amzn-ErrorType and in the body.</summary>
    private static async Task ErrorAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-amzn-ErrorType"] = type;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = type, ["message"] = message }), CancellationToken.None);
    }

    /// <summary>Never forwards: waits for the client to give up, which is the only way this request ends well.</summary>
    private async Task HoldAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(HoldLimit, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Interlocked.Increment(ref _holdsExpired);
        await ErrorAsync(context, StatusCodes.Status504GatewayTimeout, "RequestTimeout", "Held past the proxy's own limit.");
    }

    private Task UnexpectedAsync(HttpContext context)
    {
        Interlocked.Increment(ref _unexpected);
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    /// <summary>First recipient and subject: what tells one notice from another in this test.</summary>
    private static string MessageKey(byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var to = root.GetProperty("Destination").TryGetProperty("ToAddresses", out var list) && list.GetArrayLength() > 0 ? list[0].GetString() : null;
        var subject = root.GetProperty("Content").GetProperty("Simple").GetProperty("Subject").GetProperty("Data").GetString();
        return $"{to}|{subject}";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
