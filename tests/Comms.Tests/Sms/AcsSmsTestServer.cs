using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Comms.Sms.Providers;
using Comms.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Comms.Tests.Sms;

/// <summary>
/// Stands in for Azure Communication Services SMS on a free port. It checks each request's HMAC signature as the service
/// does (recomputed from what arrived), checks the body against the 2021-03-07 contract (from, one recipient with a GUID
/// repeatability id and an RFC 1123 first-sent time, message, options), and honours repeatability: a request whose id it
/// has taken is answered with the first answer and not "sent" again. <see cref="LoseAnswerTo"/> takes a text for a
/// number and answers 503, as a service whose reply was lost would look to the client.
/// </summary>
public sealed class AcsSmsTestServer : IAsyncDisposable
{
    public static readonly byte[] AccessKey = Encoding.UTF8.GetBytes("acs-sms-test-access-key-0123456789");
    private readonly WebApplication _app;

    private AcsSmsTestServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }
    public string ConnectionString => $"endpoint={Endpoint};accesskey={Convert.ToBase64String(AccessKey)}";

    public ConcurrentBag<string> Rejections { get; } = [];

    /// <summary>Every request that passed the checks, in arrival order.</summary>
    public ConcurrentQueue<ReceivedSms> Requests { get; } = new();

    /// <summary>Texts the service took (one per repeatability id), by id.</summary>
    public ConcurrentDictionary<string, ReceivedSms> Sent { get; } = new();

    /// <summary>Numbers whose next text is taken but answered 503 (the answer "lost").</summary>
    public ConcurrentDictionary<string, bool> LoseAnswerTo { get; } = new();

    public IReadOnlyList<ReceivedSms> SentTo(string number) => [.. Sent.Values.Where(s => s.To == number).OrderBy(s => s.ReceivedAt)];

    public IReadOnlyList<ReceivedSms> RequestsTo(string number) => [.. Requests.Where(s => s.To == number)];

    public static async Task<AcsSmsTestServer> StartAsync()
    {
        var port = NodeProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var server = new AcsSmsTestServer(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapPost("/sms", (Func<HttpContext, Task<IResult>>)server.SendAsync);
        await app.StartAsync();
        return server;
    }

    private async Task<IResult> SendAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (!Verify(context.Request, body))
        {
            Rejections.Add("signature");
            return Results.Json(new { error = new { code = "Denied", message = "Signature mismatch" } }, statusCode: 401);
        }

        if (context.Request.Query["api-version"] != AcsSmsProvider.ApiVersion || Parse(body) is not { } sms)
        {
            Rejections.Add("body: " + Encoding.UTF8.GetString(body));
            return Results.Json(new { error = new { code = "BadRequest", message = "not a send request" } }, statusCode: 400);
        }

        Requests.Enqueue(sms);
        var first = Sent.GetOrAdd(sms.RepeatabilityRequestId, sms);
        var repeat = !ReferenceEquals(first, sms);
        if (repeat && first.RepeatabilityFirstSent != sms.RepeatabilityFirstSent)
        {
            Rejections.Add("repeat with another first-sent time");
        }

        if (!repeat && LoseAnswerTo.TryRemove(sms.To, out _))
        {
            return Results.Json(new { error = new { code = "ServiceUnavailable", message = "answer lost" } }, statusCode: 503);
        }

        var item = new
        {
            to = sms.To,
            messageId = "Outgoing_" + first.RepeatabilityRequestId,
            httpStatusCode = 202,
            repeatabilityResult = repeat ? "rejected" : "accepted",
            successful = true,
        };
        return Results.Json(new { value = new[] { item } }, statusCode: 202);
    }

    private static ReceivedSms? Parse(byte[] body)
    {
        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            var recipients = root.GetProperty("smsRecipients");
            var recipient = recipients[0];
            var options = root.GetProperty("smsSendOptions");
            var id = recipient.GetProperty("repeatabilityRequestId").GetString()!;
            var firstSent = recipient.GetProperty("repeatabilityFirstSent").GetString()!;
            var ok = recipients.GetArrayLength() == 1 && Guid.TryParse(id, out _)
                && DateTimeOffset.TryParseExact(firstSent, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
                && options.GetProperty("enableDeliveryReport").ValueKind is JsonValueKind.True or JsonValueKind.False;
            return ok
                ? new ReceivedSms(root.GetProperty("from").GetString()!, recipient.GetProperty("to").GetString()!, root.GetProperty("message").GetString()!, id, firstSent,
                    options.GetProperty("tag").GetString(), DateTimeOffset.UtcNow)
                : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The service's check, written out independently of the client's signing policy.</summary>
    private static bool Verify(HttpRequest request, byte[] body)
    {
        var date = request.Headers["x-ms-date"].ToString();
        var hash = request.Headers["x-ms-content-sha256"].ToString();
        var toSign = $"{request.Method}\n{request.Path.Value}{request.QueryString.Value}\n{date};{request.Host.Value};{hash}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(AccessKey, Encoding.UTF8.GetBytes(toSign)));
        var fresh = DateTimeOffset.TryParseExact(date, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sent)
            && (DateTimeOffset.UtcNow - sent).Duration() < TimeSpan.FromMinutes(15);
        return fresh && hash == Convert.ToBase64String(SHA256.HashData(body))
            && request.Headers.Authorization.ToString() == $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedSms(string From, string To, string Message, string RepeatabilityRequestId, string RepeatabilityFirstSent, string? Tag, DateTimeOffset ReceivedAt);
