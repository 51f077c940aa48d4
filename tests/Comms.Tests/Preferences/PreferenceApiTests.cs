using System.Net;
using Comms.Libraries;
using Comms.Scenarios;
using Comms.Tests.Infrastructure;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Preferences;

/// <summary>The library system reads and sets preferences over real HTTP, stored in Azurite with the patron.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class PreferenceApiTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private DevHostServer _host = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        _host = await DevHostServer.StartAsync(emulators);
        _key = await _host.Client.CreateLibraryAsync("prefs");
        foreach (var id in new[] { "p1", "p2" })
        {
            using var put = await Send(HttpMethod.Put, $"/api/libraries/prefs/patrons/{id}", Samples.Patron(id));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task PutPreferences_ThenGet_ShowsTheChoiceMandatoryListAndAudit()
    {
        using var put = await Send(HttpMethod.Put, "/api/libraries/prefs/patrons/p1/preferences", new
        {
            language = "fr-FR",
            scenarios = new Dictionary<string, bool> { ["pre-overdue"] = false, ["overdue"] = true },
            contacts = new[] { new { email = "Parent.p1@home.example.org", scenarios = new Dictionary<string, bool> { ["reservation-ready"] = false } } },
        });
        using var get = await Send(HttpMethod.Get, "/api/libraries/prefs/patrons/p1/preferences");
        var json = await get.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("fr-FR", json["language"]!.GetValue<string>());
        Assert.False(json["scenarios"]!["pre-overdue"]!.GetValue<bool>());
        Assert.True(json["scenarios"]!["welcome"]!.GetValue<bool>());
        Assert.Equal(["overdue", "escalation", "recall", "password-reset", "declared-lost"], json["mandatory"]!.AsArray().Select(n => n!.GetValue<string>()));
        var parent = json["contacts"]!.AsArray().Single(c => c!["role"]!.GetValue<string>() == "parent")!;
        Assert.False(parent["scenarios"]!["reservation-ready"]!.GetValue<bool>());
        var audit = Assert.Single(json["audit"]!.AsArray())!;
        Assert.StartsWith("key:", audit["by"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("pre-overdue off", audit["changes"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("contact parent.p1@home.example.org: reservation-ready off", audit["changes"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task PutPatron_AfterPreferences_KeepsThePatronsChoice()
    {
        using var put = await Send(HttpMethod.Put, "/api/libraries/prefs/patrons/p2/preferences", new { scenarios = new Dictionary<string, bool> { ["welcome"] = false } });
        using var repeat = await Send(HttpMethod.Put, "/api/libraries/prefs/patrons/p2/preferences", new { scenarios = new Dictionary<string, bool> { ["welcome"] = false } });
        using var sync = await Send(HttpMethod.Put, "/api/libraries/prefs/patrons/p2", Samples.Patron("p2") with { Name = "Renamed" });
        using var import = await Send(HttpMethod.Post, "/api/libraries/prefs/patrons/import", new[] { Samples.Patron("p2") });
        using var get = await Send(HttpMethod.Get, "/api/libraries/prefs/patrons/p2/preferences");
        var json = await get.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.False(json["scenarios"]!["welcome"]!.GetValue<bool>());
        Assert.Single(json["audit"]!.AsArray()); // the repeat changed nothing, so it is not audited
    }

    public static TheoryData<string, string> BadPreferences() => new()
    {
        { """{"scenarios": {"overdue": false}}""", "scenarios.overdue" },
        { """{"scenarios": {"escalation": false}}""", "scenarios.escalation" },
        { """{"scenarios": {"password-reset": false}}""", "scenarios.password-reset" },
        { """{"scenarios": {"escalation-2": false}}""", "scenarios.escalation-2" },
        { """{"scenarios": {"teleport": false}}""", "scenarios.teleport" },
        { """{"scenarios": {"supplier-order": false}}""", "scenarios.supplier-order" },
        { """{"language": "klingon-xx"}""", "language" },
        { """{"contacts": [{"email": "stranger@example.org"}]}""", "contacts[0].email" },
        { """{"contacts": [{"email": "parent.p1@home.example.org", "scenarios": {"recall": false}}]}""", "contacts[0].scenarios.recall" },
        { """{"contacts": [{"email": "parent.p1@home.example.org"}, {"email": "PARENT.p1@home.example.org"}]}""", "contacts[1].email" },
        { """{"patronId": "p2"}""", "patronId" },
        { """{"preOverdueDaysBefore": 0}""", "preOverdueDaysBefore" },
        { """{"preOverdueDaysBefore": 8}""", "preOverdueDaysBefore" },
        { """{"delivery": "weekly"}""", "delivery" },
        { """{"scenarios": {"welcome": "no"}}""", "scenarios.welcome" },
        { "null", "body" },
    };

    [Theory]
    [MemberData(nameof(BadPreferences))]
    public async Task PutPreferences_BadOrMandatory_Is400AndChangesNothing(string body, string field)
    {
        using var response = await Send(HttpMethod.Put, "/api/libraries/prefs/patrons/p1/preferences", body);
        using var get = await Send(HttpMethod.Get, "/api/libraries/prefs/patrons/p1/preferences");
        var json = await get.JsonAsync();

        await response.AssertProblemAsync(400, field.StartsWith("scenarios.welcome", StringComparison.Ordinal) ? [] : [field]);
        Assert.All(new[] { "overdue", "escalation", "recall" }, s => Assert.True(json["scenarios"]![s]!.GetValue<bool>()));
        Assert.Null(json["preOverdueDaysBefore"]);
        Assert.Equal("digest", json["delivery"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutPreferences_PerItem_StoredShownAndAudited_ThenDigestAgain()
    {
        using var patron = await Send(HttpMethod.Put, "/api/libraries/prefs/patrons/p5", Samples.Patron("p5"));
        using var put = await Send(HttpMethod.Put, "/api/libraries/prefs/patrons/p5/preferences", new { delivery = "perItem" });
        var perItem = await (await Send(HttpMethod.Get, "/api/libraries/prefs/patrons/p5/preferences")).JsonAsync();
        using var back = await Send(HttpMethod.Put, "/api/libraries/prefs/patrons/p5/preferences", new { });
        var digest = await (await Send(HttpMethod.Get, "/api/libraries/prefs/patrons/p5/preferences")).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("perItem", perItem["delivery"]!.GetValue<string>());
        Assert.Equal("digest", digest["delivery"]!.GetValue<string>()); // a PUT is the whole choice: unnamed is the default
        Assert.Equal(["delivery digest"], digest["audit"]![0]!["changes"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["delivery perItem"], digest["audit"]![1]!["changes"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task PutPreferences_CourtesyDaysInTheLibrarysRange_StoredShownAndAudited()
    {
        using var patron = await Send(HttpMethod.Put, "/api/libraries/prefs/patrons/p4", Samples.Patron("p4"));
        using var put = await Send(HttpMethod.Put, "/api/libraries/prefs/patrons/p4/preferences", new { preOverdueDaysBefore = 7 });
        using var get = await Send(HttpMethod.Get, "/api/libraries/prefs/patrons/p4/preferences");
        var json = await get.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(7, json["preOverdueDaysBefore"]!.GetValue<int>());
        Assert.Equal("""{"min":1,"max":7,"default":3}""", json["preOverdueDaysBeforeRange"]!.ToJsonString());
        Assert.Equal(["pre-overdue days before 7"], json["audit"]![0]!["changes"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task Library_CourtesyDaysRangeOutOfBounds_Is400OnEachField()
    {
        var library = Samples.Library("prefs-range") with { Timing = new NoticeTiming { PreOverdueDaysBeforeMin = 0, PreOverdueDaysBeforeMax = 61 } };
        var inverted = Samples.Library("prefs-range2") with { Timing = new NoticeTiming { PreOverdueDaysBeforeMin = 5, PreOverdueDaysBeforeMax = 4 } };

        using var bounds = await _host.Client.SendAsync(Request(HttpMethod.Post, "/api/libraries", library, adminKey: TestServices.AdminKey));
        using var order = await _host.Client.SendAsync(Request(HttpMethod.Post, "/api/libraries", inverted, adminKey: TestServices.AdminKey));

        await bounds.AssertProblemAsync(400, "timing.preOverdueDaysBeforeMin", "timing.preOverdueDaysBeforeMax");
        await order.AssertProblemAsync(400, "timing.preOverdueDaysBeforeMax");
    }

    [Fact]
    public async Task PutPreferences_CourtesyDaysWhenTheLibrarySendsNoReminder_Is400()
    {
        var key = await _host.CreateLibraryAsync(Samples.Library("prefs-noremind") with { Timing = new NoticeTiming { PreOverdueDaysBefore = 0 } });
        using var patron = await _host.Client.SendAsync(Request(HttpMethod.Put, "/api/libraries/prefs-noremind/patrons/p1", Samples.Patron("p1"), libraryKey: key));

        using var put = await _host.Client.SendAsync(Request(HttpMethod.Put, "/api/libraries/prefs-noremind/patrons/p1/preferences", new { preOverdueDaysBefore = 2 }, libraryKey: key));

        await put.AssertProblemAsync(400, "preOverdueDaysBefore");
    }

    [Fact]
    public async Task PutPreferences_ScenarioTheLibraryMadeMandatory_Is400()
    {
        var library = Samples.Library("prefs2") with
        {
            Scenarios = new Dictionary<Scenario, ScenarioSettings> { [Scenario.PreOverdue] = new() { Mandatory = true }, [Scenario.Overdue] = new() { Mandatory = false } },
        };
        var key = await _host.CreateLibraryAsync(library);
        using var patron = await _host.Client.SendAsync(Request(HttpMethod.Put, "/api/libraries/prefs2/patrons/p1", Samples.Patron("p1"), libraryKey: key));

        using var preOverdue = await _host.Client.SendAsync(Request(HttpMethod.Put, "/api/libraries/prefs2/patrons/p1/preferences", new { scenarios = new Dictionary<string, bool> { ["pre-overdue"] = false } }, libraryKey: key));
        using var overdue = await _host.Client.SendAsync(Request(HttpMethod.Put, "/api/libraries/prefs2/patrons/p1/preferences", new { scenarios = new Dictionary<string, bool> { ["overdue"] = false } }, libraryKey: key));

        await preOverdue.AssertProblemAsync(400, "scenarios.pre-overdue");
        Assert.Equal(HttpStatusCode.OK, overdue.StatusCode); // this library lets readers turn overdue notices off
    }

    [Fact]
    public async Task Bulk_AllValid_SetsEveryPatron()
    {
        using var response = await Send(HttpMethod.Post, "/api/libraries/prefs/preferences/bulk", new
        {
            items = new object[]
            {
                new { patronId = "p1", scenarios = new Dictionary<string, bool> { ["card-expiring"] = false } },
                new { patronId = "p2", scenarios = new Dictionary<string, bool> { ["card-expiring"] = false } },
            },
        });
        using var get = await Send(HttpMethod.Get, "/api/libraries/prefs/patrons/p2/preferences");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.JsonAsync())["updated"]!.GetValue<int>());
        Assert.False((await get.JsonAsync())["scenarios"]!["card-expiring"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Bulk_OneMandatoryOffOrUnknownPatron_Is400AndWritesNothing()
    {
        using var response = await Send(HttpMethod.Post, "/api/libraries/prefs/preferences/bulk", new
        {
            items = new object[]
            {
                new { patronId = "p1", scenarios = new Dictionary<string, bool> { ["auto-renewal"] = false } },
                new { patronId = "p2", scenarios = new Dictionary<string, bool> { ["declared-lost"] = false } },
                new { patronId = "ghost" },
                new { patronId = "p1", preOverdueDaysBefore = 30 },
            },
        });
        using var get = await Send(HttpMethod.Get, "/api/libraries/prefs/patrons/p1/preferences");
        using var empty = await Send(HttpMethod.Post, "/api/libraries/prefs/preferences/bulk", new { items = Array.Empty<object>() });

        await response.AssertProblemAsync(400, "items[1].scenarios.declared-lost", "items[2].patronId", "items[3].patronId", "items[3].preOverdueDaysBefore");
        Assert.True((await get.JsonAsync())["scenarios"]!["auto-renewal"]!.GetValue<bool>());
        await empty.AssertProblemAsync(400, "items");
    }

    [Fact]
    public async Task Preferences_OtherLibrarysKeyUnknownPatron_403And404()
    {
        var otherKey = await _host.Client.CreateLibraryAsync("prefs-other");

        using var foreign = await _host.Client.SendAsync(Request(HttpMethod.Get, "/api/libraries/prefs/patrons/p1/preferences", libraryKey: otherKey));
        using var foreignBulk = await _host.Client.SendAsync(Request(HttpMethod.Post, "/api/libraries/prefs/preferences/bulk", new { items = new[] { new { patronId = "p1" } } }, libraryKey: otherKey));
        using var unknown = await Send(HttpMethod.Put, "/api/libraries/prefs/patrons/ghost/preferences", new { });

        await foreign.AssertProblemAsync(403);
        await foreignBulk.AssertProblemAsync(403);
        await unknown.AssertProblemAsync(404);
    }

    [Fact]
    public async Task DeletePatron_ErasesTheirPreferences()
    {
        using var patron = await Send(HttpMethod.Put, "/api/libraries/prefs/patrons/p3", Samples.Patron("p3"));
        using var put = await Send(HttpMethod.Put, "/api/libraries/prefs/patrons/p3/preferences", new { scenarios = new Dictionary<string, bool> { ["welcome"] = false } });
        using var delete = await Send(HttpMethod.Delete, "/api/libraries/prefs/patrons/p3");
        using var again = await Send(HttpMethod.Put, "/api/libraries/prefs/patrons/p3", Samples.Patron("p3"));
        using var get = await Send(HttpMethod.Get, "/api/libraries/prefs/patrons/p3/preferences");
        var json = await get.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.True(json["scenarios"]!["welcome"]!.GetValue<bool>());
        Assert.Empty(json["audit"]!.AsArray());
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body = null) =>
        _host.Client.SendAsync(Request(method, path, body, libraryKey: _key));
}
