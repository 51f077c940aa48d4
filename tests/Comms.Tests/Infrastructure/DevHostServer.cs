using System.Net.Http.Json;
using Comms.DevHost;
using Comms.Libraries;
using Comms.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Comms.Tests.Infrastructure;

/// <summary>
/// The dev host on a free local port with the test settings (private table prefix), so tests call the real
/// HTTP functions with an HttpClient, through the same routing, binding and problem mapping.
/// </summary>
public sealed class DevHostServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DevHostServer(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<DevHostServer> StartAsync(EmulatorFixture emulators, Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = TestServices.Settings(emulators);
        configure?.Invoke(settings);
        var app = DevHostApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
        });
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DevHostServer(app, new Uri(address));
    }

    /// <summary>Creates a library directly through the service and returns its API key.</summary>
    public async Task<string> CreateLibraryAsync(Library library)
    {
        var (_, apiKey) = await Services.GetRequiredService<LibraryService>().CreateAsync(library);
        return apiKey;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string libraryKey, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(LibraryAccess.LibraryKeyHeader, libraryKey);
        if (body is string raw)
        {
            request.Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Common.CommsJson.Options);
        }

        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
