using System.Net;
using System.Text;
using Comms.Contacts;
using Comms.Tests.Infrastructure;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Contacts;

[Collection(EmulatorCollection.Name)]
public sealed class PatronApiTests(EmulatorFixture emulators) : IAsyncLifetime
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
    public async Task PutPatron_ThenGet_ReturnsContactsWithRoles()
    {
        using var put = await Send(HttpMethod.Put, "/api/libraries/lib/patrons/p1", Samples.Patron("p1"));
        using var get = await Send(HttpMethod.Get, "/api/libraries/lib/patrons/p1");
        var json = await get.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("parent", json["contacts"]![1]!["role"]!.GetValue<string>());
        Assert.Equal("parent.p1@home.example.org", json["contacts"]![1]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutPatron_WithE164Phones_StoresThemWithThePatronAndContact()
    {
        var patron = Samples.Patron("p2") with { Phone = "+447700900001" };
        patron = patron with { Contacts = [patron.Contacts[0] with { Email = null, Phone = "+447700900002" }, patron.Contacts[1]] };

        using var put = await Send(HttpMethod.Put, "/api/libraries/lib/patrons/p2", patron);
        using var get = await Send(HttpMethod.Get, "/api/libraries/lib/patrons/p2");
        var json = await get.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("+447700900001", json["phone"]!.GetValue<string>());
        Assert.Equal("+447700900002", json["contacts"]![0]!["phone"]!.GetValue<string>());
        Assert.Null(json["contacts"]![1]!["phone"]);
    }

    [Fact]
    public async Task PutPatron_WithBranchAndPostalAddresses_StoresThem()
    {
        var patron = Samples.Patron("p3") with { Branch = "east", PostalAddress = "1 High Street\nLeeds LS1 1AA" };
        patron = patron with { Contacts = [patron.Contacts[0] with { PostalAddress = "2 Low Road\nYork" }, patron.Contacts[1]] };

        using var put = await Send(HttpMethod.Put, "/api/libraries/lib/patrons/p3", patron);
        using var get = await Send(HttpMethod.Get, "/api/libraries/lib/patrons/p3");
        var json = await get.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("east", json["branch"]!.GetValue<string>());
        Assert.Equal("1 High Street\nLeeds LS1 1AA", json["postalAddress"]!.GetValue<string>());
        Assert.Equal("2 Low Road\nYork", json["contacts"]![0]!["postalAddress"]!.GetValue<string>());
        Assert.Null(json["contacts"]![1]!["postalAddress"]);
    }

    [Fact]
    public async Task GetPatron_Unknown_Is404AndDeleteUnknownIs404()
    {
        using var get = await Send(HttpMethod.Get, "/api/libraries/lib/patrons/nobody");
        using var delete = await Send(HttpMethod.Delete, "/api/libraries/lib/patrons/nobody");

        await get.AssertProblemAsync(404);
        await delete.AssertProblemAsync(404);
    }

    public static TheoryData<string, string> BadPatrons() => new()
    {
        { Patron("\"contacts\": [{\"role\": \"wizard\", \"name\": \"W\"}]"), "contacts[0].role" },
        { Patron("\"contacts\": [{\"role\": \"parent\", \"name\": \"P\", \"email\": \"no-at-sign\"}]"), "contacts[0].email" },
        { Patron("\"contacts\": [{\"role\": \"parent\", \"name\": \"P\", \"email\": \" padded@example.org\"}]"), "contacts[0].email" },
        { Patron("\"contacts\": [{\"role\": \"parent\", \"name\": \"\", \"email\": \"a@example.org\"}]"), "contacts[0].name" },
        { Patron("\"contacts\": [{\"role\": \"parent\", \"name\": \"P\", \"phone\": \"07700 900123\"}]"), "contacts[0].phone" },
        { Patron("\"contacts\": [{\"role\": \"parent\", \"name\": \"P\", \"phone\": \"+0447700900123\"}]"), "contacts[0].phone" },
        { Patron("\"phone\": \"+44 7700 900123\""), "phone" },
        { Patron("\"phone\": \"+4477009001234567\""), "phone" },
        { Patron("\"noNotices\": \"yes\""), "noNotices" },
        { Patron("\"branch\": \"east wing/2\""), "branch" },
        { Patron("\"postalAddress\": \"1\\n2\\n3\\n4\\n5\\n6\\n7\""), "postalAddress" },
        { Patron("\"postalAddress\": \"" + new string('x', 61) + "\""), "postalAddress" },
        { Patron("\"contacts\": [{\"role\": \"parent\", \"name\": \"P\", \"postalAddress\": \"a\\tb\"}]"), "contacts[0].postalAddress" },
        { Patron("\"preferredLanguage\": \"klingon-xx\""), "preferredLanguage" },
        { "{\"id\": \"other\", \"name\": \"N\"}", "id" },
        { "[1, 2]", "body" },
    };

    [Theory]
    [MemberData(nameof(BadPatrons))]
    public async Task PutPatron_BadInput_Is400AndStoresNothing(string body, string field)
    {
        using var response = await Send(HttpMethod.Put, "/api/libraries/lib/patrons/p9", body);
        using var check = await Send(HttpMethod.Get, "/api/libraries/lib/patrons/p9");

        await response.AssertProblemAsync(400, field == "body" ? [] : [field]);
        await check.AssertProblemAsync(404);
    }

    [Fact]
    public async Task PutPatron_PathTrickInId_Is400()
    {
        using var response = await Send(HttpMethod.Put, "/api/libraries/lib/patrons/..%2F..%2Fsecrets", Samples.Patron("../../secrets"));
        await response.AssertProblemAsync(400, "id");
    }

    [Fact]
    public async Task ListPatrons_PagesWithContinuationToken()
    {
        foreach (var id in new[] { "a1", "a2", "a3" })
        {
            using var put = await Send(HttpMethod.Put, $"/api/libraries/lib/patrons/{id}", Samples.Patron(id));
            put.EnsureSuccessStatusCode();
        }

        using var first = await Send(HttpMethod.Get, "/api/libraries/lib/patrons?pageSize=2");
        var page = await first.JsonAsync();
        var token = page["continuationToken"]!.GetValue<string>();
        using var second = await Send(HttpMethod.Get, $"/api/libraries/lib/patrons?pageSize=2&continuationToken={Uri.EscapeDataString(token)}");
        using var badSize = await Send(HttpMethod.Get, "/api/libraries/lib/patrons?pageSize=0");

        Assert.Equal(2, page["items"]!.AsArray().Count);
        Assert.Single((await second.JsonAsync())["items"]!.AsArray());
        await badSize.AssertProblemAsync(400, "pageSize");
    }

    [Fact]
    public async Task ImportPatrons_TenThousandJson_AllStored()
    {
        var patrons = Enumerable.Range(0, 10_000).Select(i => Samples.Patron($"bulk{i:D5}")).ToList();

        using var response = await Send(HttpMethod.Post, "/api/libraries/lib/patrons/import", Serialize(patrons));
        var stored = await CountPatronsAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10_000, (await response.JsonAsync())["imported"]!.GetValue<int>());
        Assert.Equal(10_000, stored);
    }

    [Fact]
    public async Task ImportPatrons_SomeBadRows_ListsEveryBadRowAndWritesNothing()
    {
        var patrons = Enumerable.Range(0, 500).Select(i => Samples.Patron($"row{i}")).ToList();
        patrons[17] = patrons[17] with { Contacts = [new Contact { Role = ContactRole.Parent, Name = "P", Email = "broken" }] };
        patrons[250] = patrons[250] with { Name = "" };
        patrons[499] = patrons[499] with { Id = "row0" };

        using var response = await Send(HttpMethod.Post, "/api/libraries/lib/patrons/import", Serialize(patrons));

        await response.AssertProblemAsync(400, "[17].contacts[0].email", "[250].name", "[499].id");
        Assert.Equal(0, await CountPatronsAsync());
    }

    [Fact]
    public async Task ImportPatrons_Csv_GroupsContactLinesByPatron()
    {
        var csv = new StringBuilder("patronId,name,group,preferredLanguage,noNotices,contactRole,contactName,contactEmail,contactActive\n")
            .Append("c1,Ada Lovelace,Year 8,en-GB,false,patron,Ada Lovelace,ada@pupils.example.org,true\n")
            .Append("c1,Ada Lovelace,Year 8,en-GB,false,guardian,Lord Byron,byron@home.example.org,true\n")
            .Append("c2,\"Brontë, Anne\",Staff,,,,,,\n").ToString();

        using var response = await SendCsv(csv);
        using var ada = await Send(HttpMethod.Get, "/api/libraries/lib/patrons/c1");
        using var anne = await Send(HttpMethod.Get, "/api/libraries/lib/patrons/c2");

        Assert.Equal(2, (await response.JsonAsync())["imported"]!.GetValue<int>());
        Assert.Equal("guardian", (await ada.JsonAsync())["contacts"]![1]!["role"]!.GetValue<string>());
        Assert.Equal("Brontë, Anne", (await anne.JsonAsync())["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task ImportPatrons_CsvWithBadLines_Is400AndWritesNothing()
    {
        var csv = "patronId,name,contactRole,contactName,contactEmail\n" +
            "ok1,Fine,patron,Fine,fine@example.org\n" +
            "bad1,Bad,dragon,Bad,bad@example.org\n" +
            "bad2,Bad,patron,Bad,not-an-email\n";

        using var response = await SendCsv(csv);

        // Every error is named by the CSV line the user sees (line 1 is the header), never by a 0-based index.
        var problem = await response.AssertProblemAsync(400, "csv.line3.contactRole", "csv.line4.contactEmail");
        Assert.All(problem["errors"]!.AsObject(), e => Assert.StartsWith("csv.line", e.Key, StringComparison.Ordinal));
        Assert.Equal(0, await CountPatronsAsync());
    }

    [Fact]
    public async Task ImportPatrons_CsvPatronOnTwoLinesWithABadSecondContact_NamesTheContactsLine()
    {
        var csv = "patronId,name,contactRole,contactName,contactEmail\n" +
            "p1,Ada,patron,Ada,ada@example.org\n" +
            "p2,,patron,Bob,bob@example.org\n" +
            "p1,Ada,parent,Byron,not-an-email\n";

        using var response = await SendCsv(csv);

        var problem = await response.AssertProblemAsync(400, "csv.line3.name", "csv.line4.contactEmail");
        Assert.Equal(2, problem["errors"]!.AsObject().Count);
        Assert.Equal(0, await CountPatronsAsync());
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("lib%20p1")]
    [InlineData("dDF8b3RoZXJ8bGliIHAx")]
    public async Task ListPatrons_ContinuationTokenThisApiDidNotIssue_Is400(string token)
    {
        using var response = await Send(HttpMethod.Get, "/api/libraries/lib/patrons?continuationToken=" + token);

        await response.AssertProblemAsync(400, "continuationToken");
    }

    private async Task<int> CountPatronsAsync()
    {
        var count = 0;
        string? token = null;
        do
        {
            var path = "/api/libraries/lib/patrons?pageSize=1000" + (token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token));
            using var response = await Send(HttpMethod.Get, path);
            var page = await response.JsonAsync();
            count += page["items"]!.AsArray().Count;
            token = page["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);
        return count;
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body = null) =>
        _host.Client.SendAsync(Request(method, path, body, libraryKey: _key));

    private Task<HttpResponseMessage> SendCsv(string csv)
    {
        var request = Request(HttpMethod.Post, "/api/libraries/lib/patrons/import", libraryKey: _key);
        request.Content = new StringContent(csv, Encoding.UTF8, "text/csv");
        return _host.Client.SendAsync(request);
    }

    private static string Patron(string extra) => "{\"id\": \"p9\", \"name\": \"Nine\", " + extra + "}";
}
