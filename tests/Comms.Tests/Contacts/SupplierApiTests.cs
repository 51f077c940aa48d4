using System.Net;
using Comms.Tests.Infrastructure;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Contacts;

[Collection(EmulatorCollection.Name)]
public sealed class SupplierApiTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private DevHostServer _host = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        _host = await DevHostServer.StartAsync(emulators);
        _key = await _host.Client.CreateLibraryAsync("lib");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task PutSupplier_ThenGetListDelete_RoundTrips()
    {
        using var put = await Send(HttpMethod.Put, "/api/libraries/lib/suppliers/books-r-us", Samples.Supplier("books-r-us"));
        using var get = await Send(HttpMethod.Get, "/api/libraries/lib/suppliers/books-r-us");
        using var list = await Send(HttpMethod.Get, "/api/libraries/lib/suppliers");
        using var delete = await Send(HttpMethod.Delete, "/api/libraries/lib/suppliers/books-r-us");
        using var gone = await Send(HttpMethod.Get, "/api/libraries/lib/suppliers/books-r-us");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("orders@books-r-us.example.com", (await get.JsonAsync())["orderEmails"]![0]!.GetValue<string>());
        Assert.Single((await list.JsonAsync())["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await gone.AssertProblemAsync(404);
    }

    [Theory]
    [InlineData("{\"id\": \"s1\", \"name\": \"S\", \"orderEmails\": []}", "orderEmails")]
    [InlineData("{\"id\": \"s1\", \"name\": \"S\", \"orderEmails\": [\"orders@@x.com\"]}", "orderEmails[0]")]
    [InlineData("{\"id\": \"s1\", \"name\": \"S\", \"orderEmails\": \"orders@x.com\"}", "orderEmails")]
    [InlineData("{\"id\": \"s1\", \"orderEmails\": [\"orders@x.com\"]}", "")]
    public async Task PutSupplier_BadInput_Is400AndStoresNothing(string body, string field)
    {
        using var response = await Send(HttpMethod.Put, "/api/libraries/lib/suppliers/s1", body);
        using var check = await Send(HttpMethod.Get, "/api/libraries/lib/suppliers/s1");

        await response.AssertProblemAsync(400, field.Length == 0 ? [] : [field]);
        await check.AssertProblemAsync(404);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("lib%20s1")]
    public async Task ListSuppliers_ContinuationTokenThisApiDidNotIssue_Is400(string token)
    {
        using var response = await Send(HttpMethod.Get, "/api/libraries/lib/suppliers?continuationToken=" + token);

        await response.AssertProblemAsync(400, "continuationToken");
    }

    [Fact]
    public async Task ListSuppliers_PagesWithTheIssuedToken()
    {
        foreach (var id in new[] { "s1", "s2", "s3" })
        {
            using var put = await Send(HttpMethod.Put, $"/api/libraries/lib/suppliers/{id}", Samples.Supplier(id));
            put.EnsureSuccessStatusCode();
        }

        var ids = new List<string>();
        string? token = null;
        do
        {
            using var page = await Send(HttpMethod.Get, "/api/libraries/lib/suppliers?pageSize=2" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token)));
            var json = await page.JsonAsync();
            ids.AddRange(json["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
            token = json["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);

        Assert.Equal(["s1", "s2", "s3"], ids);
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body = null) =>
        _host.Client.SendAsync(Request(method, path, body, libraryKey: _key));
}
