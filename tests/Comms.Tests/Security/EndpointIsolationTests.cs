using Comms.Tests.Infrastructure;
using Xunit.Abstractions;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Security;

/// <summary>
/// The tenant isolation matrix over every library-scoped endpoint the app declares: another library's key
/// gets 403 with exactly the answer a library that does not exist gets, and no key gets 401.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class EndpointIsolationTests(EmulatorFixture emulators, ITestOutputHelper output) : IAsyncLifetime
{
    private DevHostServer _host = null!;
    private string _keyA = null!;

    public async Task InitializeAsync()
    {
        _host = await DevHostServer.StartAsync(emulators, HttpSurface.WithDurableEngine);
        _keyA = await _host.Client.CreateLibraryAsync("lib-a");
        await _host.Client.CreateLibraryAsync("lib-b");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task EveryLibraryScopedEndpoint_OtherLibrarysKey_Is403LikeAMissingLibrary()
    {
        var endpoints = HttpSurface.All.Where(e => e.IsLibraryScoped).ToList();
        var leaks = new List<string>();
        foreach (var endpoint in endpoints)
        {
            using var other = await SendAsync(endpoint, "lib-b", _keyA);
            using var missing = await SendAsync(endpoint, "lib-zz", _keyA);
            using var none = await SendAsync(endpoint, "lib-b", null);
            var otherBody = await other.Content.ReadAsStringAsync();
            if ((int)other.StatusCode != 403 || otherBody != await missing.Content.ReadAsStringAsync() || (int)none.StatusCode != 401)
            {
                leaks.Add($"{endpoint}: other library {(int)other.StatusCode}, missing library {(int)missing.StatusCode}, no key {(int)none.StatusCode}");
            }
        }

        output.WriteLine($"Isolation matrix: {endpoints.Count} library-scoped endpoints x (other key, missing library, no key) = {endpoints.Count * 3} requests; leaks: {leaks.Count}");
        Assert.True(endpoints.Count >= 20, $"Only {endpoints.Count} library-scoped endpoints found");
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    private Task<HttpResponseMessage> SendAsync(HttpSurface.Endpoint endpoint, string libraryId, string? key) =>
        _host.Client.SendAsync(Request(new HttpMethod(endpoint.Method), endpoint.Path(libraryId), endpoint.TakesBody ? "{}" : null, libraryKey: key));
}
