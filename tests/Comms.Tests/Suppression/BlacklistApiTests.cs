using System.Net;
using Comms.Contacts;
using Comms.Suppression;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Suppression;

/// <summary>Manage blacklist: each library sees and removes only its own contacts' addresses.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class BlacklistApiTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private FakeSesSuppressionServer _ses = null!;
    private DevHostServer _host = null!;
    private string _northKey = null!;
    private string _southKey = null!;

    public async Task InitializeAsync()
    {
        _ses = await FakeSesSuppressionServer.StartAsync();
        _host = await DevHostServer.StartAsync(emulators, s => SuppressionTestServices.UseFake(s, _ses));
        _northKey = await _host.Client.CreateLibraryAsync("north");
        _southKey = await _host.Client.CreateLibraryAsync("south");
        var patrons = _host.Services.GetRequiredService<PatronStore>();
        await patrons.UpsertAsync("north", Samples.Patron("n1"));
        await patrons.UpsertAsync("north", Samples.Patron("n2"));
        await patrons.UpsertAsync("south", Samples.Patron("s1"));
        await _host.Services.GetRequiredService<SupplierStore>().UpsertAsync("north", Samples.Supplier("books"));

        // SES suppresses one address of each library, the north supplier's, and a stranger's.
        foreach (var address in new[] { "n1@pupils.example.org", "s1@pupils.example.org", "orders@books.example.com", "stranger@elsewhere.example.org" })
        {
            _ses.Extra[address] = ("BOUNCE", DateTimeOffset.UtcNow.AddHours(-1));
        }

        await _host.Services.GetRequiredService<SuppressionSync>().RunAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _ses.DisposeAsync();
    }

    [Fact]
    public async Task List_AllPages_ShowsOnlyThisLibrarysContactsWithReasonAndDate()
    {
        var addresses = new List<string>();
        string? token = null;
        do
        {
            var path = "/api/libraries/north/blacklist?pageSize=1" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token));
            using var response = await _host.Client.SendAsync(Request(HttpMethod.Get, path, libraryKey: _northKey));
            var json = await response.JsonAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            foreach (var item in json["items"]!.AsArray())
            {
                addresses.Add(item!["address"]!.GetValue<string>());
                Assert.Equal("hard bounce", item["reason"]!.GetValue<string>());
                Assert.NotNull(item["updatedAt"]);
            }

            token = json["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);

        Assert.Equal(["n1@pupils.example.org", "orders@books.example.com"], addresses.Order());
    }

    [Fact]
    public async Task List_AnotherLibrarysKey_Is403()
    {
        using var response = await _host.Client.SendAsync(Request(HttpMethod.Get, "/api/libraries/north/blacklist", libraryKey: _southKey));

        await response.AssertProblemAsync(403);
    }

    [Fact]
    public async Task List_BadPagingInput_Is400()
    {
        using var size = await _host.Client.SendAsync(Request(HttpMethod.Get, "/api/libraries/north/blacklist?pageSize=0", libraryKey: _northKey));
        using var token = await _host.Client.SendAsync(Request(HttpMethod.Get, "/api/libraries/north/blacklist?continuationToken=%21%21", libraryKey: _northKey));

        await size.AssertProblemAsync(400, "pageSize");
        await token.AssertProblemAsync(400, "continuationToken");
    }

    [Fact]
    public async Task Delete_OwnAddress_RemovesLocallyAndAtSesAndAudits()
    {
        using var response = await _host.Client.SendAsync(Request(HttpMethod.Delete, "/api/libraries/north/blacklist/N1%40pupils.example.org", libraryKey: _northKey));
        using var audit = await _host.Client.SendAsync(Request(HttpMethod.Get, "/api/libraries/north/blacklist-audit", adminKey: TestServices.AdminKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await _host.Services.GetRequiredService<BlacklistStore>().IsBlacklistedAsync("n1@pupils.example.org"));
        Assert.True(_ses.Removed.ContainsKey("n1@pupils.example.org"));
        var row = Assert.Single((await audit.JsonAsync())["items"]!.AsArray())!;
        Assert.Equal("n1@pupils.example.org", row["address"]!.GetValue<string>());
        Assert.StartsWith("key:", row["by"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_AnotherLibrarysOrAStrangersAddress_Is404AndNothingChanges()
    {
        using var other = await _host.Client.SendAsync(Request(HttpMethod.Delete, "/api/libraries/north/blacklist/s1%40pupils.example.org", libraryKey: _northKey));
        using var stranger = await _host.Client.SendAsync(Request(HttpMethod.Delete, "/api/libraries/north/blacklist/stranger%40elsewhere.example.org", libraryKey: _northKey));
        using var notListed = await _host.Client.SendAsync(Request(HttpMethod.Delete, "/api/libraries/north/blacklist/n2%40pupils.example.org", libraryKey: _northKey));

        await other.AssertProblemAsync(404);
        await stranger.AssertProblemAsync(404);
        await notListed.AssertProblemAsync(404);
        Assert.True(await _host.Services.GetRequiredService<BlacklistStore>().IsBlacklistedAsync("s1@pupils.example.org"));
        Assert.Empty(_ses.Removed);
    }

    [Fact]
    public async Task Delete_CrossLibraryKeyOrBadAddress_Is403Or400()
    {
        using var cross = await _host.Client.SendAsync(Request(HttpMethod.Delete, "/api/libraries/south/blacklist/s1%40pupils.example.org", libraryKey: _northKey));
        using var bad = await _host.Client.SendAsync(Request(HttpMethod.Delete, "/api/libraries/north/blacklist/not-an-address", libraryKey: _northKey));

        await cross.AssertProblemAsync(403);
        await bad.AssertProblemAsync(400, "address");
    }
}
