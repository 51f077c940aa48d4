using Comms.DevHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Comms.Tests.Infrastructure;

/// <summary>The dev host on a free loopback port: tests call the function app's endpoints over real HTTP.</summary>
public sealed class DevHostServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DevHostServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<DevHostServer> StartAsync(EmulatorFixture emulators, Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null)
    {
        var settings = TestServices.Settings(emulators);
        // Most API tests need no orchestrations; those that do turn the engine back on.
        settings["DevHost:Durable:Enabled"] = "false";
        configure?.Invoke(settings);
        var app = DevHostApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new DevHostServer(app, new Uri(address));
    }

    /// <summary>Creates a library directly through the service and returns its API key.</summary>
    public async Task<string> CreateLibraryAsync(Comms.Libraries.Library library)
    {
        var (_, apiKey) = await Services.GetRequiredService<Comms.Libraries.LibraryService>().CreateAsync(library);
        return apiKey;
    }

    /// <summary>Waits until the library's queued notices have all been attempted by the outbox's queue function.</summary>
    public Task OutboxSettledAsync(string libraryId) => OutboxDrain.WaitAsync(Services, libraryId);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string libraryKey, object? body = null) =>
        Client.SendAsync(ApiClient.Request(method, path, body, libraryKey: libraryKey));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
