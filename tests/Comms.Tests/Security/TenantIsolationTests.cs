using Comms.Tests.Infrastructure;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Security;

/// <summary>
/// Library A's key on library B's resources: 403, the same answer as for a library that does not exist,
/// so a key learns nothing about other libraries. Every library-scoped route of the configuration store.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class TenantIsolationTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private DevHostServer _host = null!;
    private string _keyA = null!;

    public async Task InitializeAsync()
    {
        _host = await DevHostServer.StartAsync(emulators);
        _keyA = await _host.Client.CreateLibraryAsync("lib-a");
        var keyB = await _host.Client.CreateLibraryAsync("lib-b");
        using var patron = await _host.Client.SendAsync(Request(HttpMethod.Put, "/api/libraries/lib-b/patrons/pb", Samples.Patron("pb"), libraryKey: keyB));
        using var supplier = await _host.Client.SendAsync(Request(HttpMethod.Put, "/api/libraries/lib-b/suppliers/sb", Samples.Supplier("sb"), libraryKey: keyB));
        patron.EnsureSuccessStatusCode();
        supplier.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, string, string?> Routes() => new()
    {
        { "GET", "/api/libraries/{lib}", null },
        { "PUT", "/api/libraries/{lib}", Serialize(Samples.Library("lib-b")) },
        { "DELETE", "/api/libraries/{lib}", null },
        { "POST", "/api/libraries/{lib}/keys/rotate", null },
        { "GET", "/api/libraries/{lib}/patrons", null },
        { "GET", "/api/libraries/{lib}/patrons/pb", null },
        { "PUT", "/api/libraries/{lib}/patrons/pb", Serialize(Samples.Patron("pb")) },
        { "DELETE", "/api/libraries/{lib}/patrons/pb", null },
        { "POST", "/api/libraries/{lib}/patrons/import", Serialize(new[] { Samples.Patron("pb") }) },
        { "GET", "/api/libraries/{lib}/suppliers", null },
        { "GET", "/api/libraries/{lib}/suppliers/sb", null },
        { "PUT", "/api/libraries/{lib}/suppliers/sb", Serialize(Samples.Supplier("sb")) },
        { "DELETE", "/api/libraries/{lib}/suppliers/sb", null },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task OtherLibrarysKey_Is403AndIndistinguishableFromAMissingLibrary(string method, string route, string? body)
    {
        using var existing = await _host.Client.SendAsync(Request(new HttpMethod(method), route.Replace("{lib}", "lib-b", StringComparison.Ordinal), body, libraryKey: _keyA));
        using var missing = await _host.Client.SendAsync(Request(new HttpMethod(method), route.Replace("{lib}", "lib-zz", StringComparison.Ordinal), body, libraryKey: _keyA));

        var existingBody = await existing.AssertProblemAsync(403);
        var missingBody = await missing.AssertProblemAsync(403);
        Assert.Equal(missingBody.ToJsonString(), existingBody.ToJsonString());
        Assert.DoesNotContain("pb", existingBody.ToJsonString(), StringComparison.Ordinal);

        using var stillThere = await _host.Client.SendAsync(Request(HttpMethod.Get, "/api/libraries/lib-b/patrons/pb", adminKey: TestServices.AdminKey));
        stillThere.EnsureSuccessStatusCode();
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task NoKey_Is401(string method, string route, string? body)
    {
        using var response = await _host.Client.SendAsync(Request(new HttpMethod(method), route.Replace("{lib}", "lib-b", StringComparison.Ordinal), body));
        await response.AssertProblemAsync(401);
    }
}
