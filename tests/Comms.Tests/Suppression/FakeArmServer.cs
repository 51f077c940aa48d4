using System.Collections.Concurrent;
using System.Globalization;
using Azure.Core;
using Comms.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Comms.Tests.Suppression;

/// <summary>
/// ARM for ACS suppression lists on a free port: lists suppressionListAddresses two per page with an absolute
/// nextLink, deletes one address resource, and insists on the bearer token of <see cref="Credential"/>.
/// </summary>
public sealed class FakeArmServer : IAsyncDisposable
{
    public const string ListId = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Communication/emailServices/mail/domains/example.org/suppressionLists/donotreply";
    private readonly WebApplication _app;

    private FakeArmServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>Address resource name → email.</summary>
    public ConcurrentDictionary<string, string> Addresses { get; } = new();
    public ConcurrentBag<string> Deleted { get; } = [];

    public static TokenCredential Credential { get; } = new StaticCredential();

    public static async Task<FakeArmServer> StartAsync()
    {
        var port = NodeProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var server = new FakeArmServer(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapGet(ListId + "/suppressionListAddresses", (Func<HttpContext, IResult>)server.List);
        app.MapDelete(ListId + "/suppressionListAddresses/{name}", (Func<HttpContext, string, IResult>)server.Delete);
        await app.StartAsync();
        return server;
    }

    private IResult List(HttpContext context)
    {
        if (context.Request.Headers.Authorization != "Bearer fake-arm-token" || context.Request.Query["api-version"] != "2023-06-01-preview")
        {
            return Results.Json(new { error = new { code = "AuthenticationFailed" } }, statusCode: 401);
        }

        var skip = int.TryParse(context.Request.Query["$skipToken"], CultureInfo.InvariantCulture, out var s) ? s : 0;
        var all = Addresses.OrderBy(a => a.Key, StringComparer.Ordinal).ToArray();
        var page = all.Skip(skip).Take(2).Select(a => new
        {
            id = $"{ListId}/suppressionListAddresses/{a.Key}",
            name = a.Key,
            properties = new { email = a.Value, notes = "added by support", lastModified = "2026-03-01T10:00:00Z" },
        });
        var next = skip + 2 < all.Length ? new Uri(Endpoint, $"{ListId.TrimStart('/')}/suppressionListAddresses?api-version=2023-06-01-preview&$skipToken={skip + 2}").ToString() : null;
        return Results.Json(new { value = page, nextLink = next });
    }

    private IResult Delete(HttpContext context, string name)
    {
        if (context.Request.Headers.Authorization != "Bearer fake-arm-token")
        {
            return Results.StatusCode(401);
        }

        if (!Addresses.TryRemove(name, out _))
        {
            return Results.StatusCode(204);
        }

        Deleted.Add(name);
        return Results.Ok();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class StaticCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("fake-arm-token", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
