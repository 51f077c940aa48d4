using System.Collections.Concurrent;
using System.Globalization;
using Comms.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Comms.Tests.Suppression;

/// <summary>
/// The SES v2 suppression list API on a free port, as the API model describes it:
/// GET /v2/email/suppression/addresses (Reason, StartDate, EndDate, PageSize 1-1000, NextToken) and
/// DELETE /v2/email/suppression/addresses/{EmailAddress}; errors as rest-json (x-amzn-ErrorType and a body).
/// Addresses are generated from their index, so a list of 200,000 costs the fake no memory; removals and
/// explicit additions are kept aside. It throttles every <see cref="ThrottleEvery"/>th list call and can be
/// told to fail from a page on, to simulate a sync cut off half-way.
/// </summary>
public sealed class FakeSesSuppressionServer : IAsyncDisposable
{
    // rest-json member names are PascalCase, as the model spells them.
    private static readonly System.Text.Json.JsonSerializerOptions Json = new();
    private readonly WebApplication _app;

    private FakeSesSuppressionServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>Generated addresses: gen{i}@{Domain}, BOUNCE for even i, COMPLAINT for odd, updated at BaseTime + i seconds.</summary>
    public int Generated { get; set; }
    public string Domain { get; set; } = "suppressed.example.net";
    public DateTimeOffset BaseTime { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public ConcurrentDictionary<string, (string Reason, DateTimeOffset At)> Extra { get; } = new(StringComparer.OrdinalIgnoreCase);
    public ConcurrentDictionary<string, byte> Removed { get; } = new(StringComparer.OrdinalIgnoreCase);
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>0 = never throttle.</summary>
    public int ThrottleEvery { get; set; }

    /// <summary>List calls at or after this page index answer 500 (null = never).</summary>
    public int? FailFromPage { get; set; }

    /// <summary>How many of the next calls with a NextToken answer InvalidNextTokenException (SES tokens expire).</summary>
    public int ExpireTokens;

    public int ListCalls;
    public int Throttled;

    public static async Task<FakeSesSuppressionServer> StartAsync()
    {
        var port = NodeProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var server = new FakeSesSuppressionServer(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapGet("/v2/email/suppression/addresses", (Func<HttpContext, IResult>)server.List);
        app.MapDelete("/v2/email/suppression/addresses/{address}", (Func<HttpContext, string, IResult>)server.Delete);
        await app.StartAsync();
        return server;
    }

    public static string Address(int i) => $"gen{i}@suppressed.example.net";

    private IResult List(HttpContext context)
    {
        var q = context.Request.Query;
        Requests.Enqueue(context.Request.QueryString.Value ?? string.Empty);
        if (!context.Request.Headers.Authorization.ToString().StartsWith("AWS4-HMAC-SHA256", StringComparison.Ordinal))
        {
            return Error(403, "UnrecognizedClientException", "Missing SigV4 signature.");
        }

        var call = Interlocked.Increment(ref ListCalls);
        if (ThrottleEvery > 0 && call % ThrottleEvery == 0)
        {
            Interlocked.Increment(ref Throttled);
            return Error(429, "TooManyRequestsException", "Rate exceeded.");
        }

        var pageSize = 1000;
        if (q.TryGetValue("PageSize", out var ps) && (!int.TryParse(ps, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 1000))
        {
            return Error(400, "BadRequestException", "PageSize must be 1-1000.");
        }

        var reasons = q["Reason"].Select(r => r!).ToHashSet(StringComparer.Ordinal);
        if (reasons.Any(r => r is not ("BOUNCE" or "COMPLAINT")))
        {
            return Error(400, "BadRequestException", "Unknown Reason.");
        }

        if (!TryDate(q["StartDate"], out var start) || !TryDate(q["EndDate"], out var end))
        {
            return Error(400, "BadRequestException", "Dates must be ISO 8601.");
        }

        var offset = 0;
        if (q.TryGetValue("NextToken", out var token))
        {
            if (Interlocked.Decrement(ref ExpireTokens) >= 0 || !token.ToString().StartsWith("tok-", StringComparison.Ordinal) || !int.TryParse(token.ToString()[4..], CultureInfo.InvariantCulture, out offset))
            {
                return Error(400, "InvalidNextTokenException", "The token is invalid or expired.");
            }
        }

        if (FailFromPage is { } fail && offset / pageSize >= fail)
        {
            return Error(500, "InternalFailure", "Scripted failure.");
        }

        // One ordered stream: generated addresses, then the extras; filtered, then paged by position.
        var items = new List<object>(pageSize);
        var position = offset;
        var total = Generated + Extra.Count;
        var extras = Extra.OrderBy(e => e.Key, StringComparer.Ordinal).ToArray();
        while (position < total && items.Count < pageSize)
        {
            var (address, reason, at) = position < Generated
                ? (Address(position), position % 2 == 0 ? "BOUNCE" : "COMPLAINT", BaseTime.AddSeconds(position))
                : (extras[position - Generated].Key, extras[position - Generated].Value.Reason, extras[position - Generated].Value.At);
            position++;
            if (Removed.ContainsKey(address) || (reasons.Count > 0 && !reasons.Contains(reason)) || (start is { } s && at < s) || (end is { } e && at >= e))
            {
                continue;
            }

            items.Add(new { EmailAddress = address, Reason = reason, LastUpdateTime = at.ToUnixTimeMilliseconds() / 1000.0 });
        }

        return Results.Json(new { SuppressedDestinationSummaries = items, NextToken = position < total ? $"tok-{position}" : null }, Json);
    }

    private IResult Delete(HttpContext context, string address)
    {
        var known = (address.StartsWith("gen", StringComparison.Ordinal) && address.EndsWith("@" + Domain, StringComparison.Ordinal)) || Extra.ContainsKey(address);
        if (!known || !Removed.TryAdd(address, 0))
        {
            return Error(404, "NotFoundException", "Not on the suppression list.");
        }

        return Results.Json(new { });
    }

    private static bool TryDate(Microsoft.Extensions.Primitives.StringValues value, out DateTimeOffset? date)
    {
        date = null;
        if (value.Count == 0)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(value.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            date = parsed;
            return true;
        }

        return false;
    }

    private static IResult Error(int status, string type, string message) =>
        new ErrorResult(status, type, message);

    private sealed class ErrorResult(int status, string type, string message) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers["x-amzn-ErrorType"] = type;
            if (status == 429)
            {
                httpContext.Response.Headers.RetryAfter = "0";
            }

            return Results.Json(new { message }, Json, statusCode: status).ExecuteAsync(httpContext);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
