using System.Net;
using Comms.Tests.Infrastructure;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Libraries;

[Collection(EmulatorCollection.Name)]
public sealed class LibraryApiTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private DevHostServer _host = null!;

    public async Task InitializeAsync() => _host = await DevHostServer.StartAsync(emulators);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CreateLibrary_AsPlatformAdmin_ReturnsKeyOnceAndTheKeyReadsTheSettings()
    {
        using var created = await _host.Client.SendAsync(Request(HttpMethod.Post, "/api/libraries", Samples.Library("north"), adminKey: TestServices.AdminKey));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.JsonAsync())["apiKey"]!.GetValue<string>();

        using var read = await _host.Client.SendAsync(Request(HttpMethod.Get, "/api/libraries/north", libraryKey: key));
        var json = await read.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("Europe/London", json["timeZone"]!.GetValue<string>());
        Assert.Equal("09:30:00", json["sendTime"]!.GetValue<string>());
        Assert.Equal("patron", json["scenarios"]!["overdue"]!["roles"]![0]!.GetValue<string>());
        Assert.Equal(3, json["timing"]!["escalationDaysAfterDue"]!.AsArray().Count);
        Assert.Null(json["apiKey"]);
    }

    [Fact]
    public async Task CreateLibrary_WithoutAdminKey_Is401AndWithWrongKeyIs403()
    {
        using var none = await _host.Client.SendAsync(Request(HttpMethod.Post, "/api/libraries", Samples.Library("x1")));
        using var wrong = await _host.Client.SendAsync(Request(HttpMethod.Post, "/api/libraries", Samples.Library("x1"), adminKey: "not-the-admin-key-at-all"));
        var libraryKey = await _host.Client.CreateLibraryAsync("x2");
        using var asLibrary = await _host.Client.SendAsync(Request(HttpMethod.Post, "/api/libraries", Samples.Library("x1"), libraryKey: libraryKey));

        await none.AssertProblemAsync(401);
        await wrong.AssertProblemAsync(403);
        await asLibrary.AssertProblemAsync(401);
        using var check = await _host.Client.SendAsync(Request(HttpMethod.Get, "/api/libraries/x1", adminKey: TestServices.AdminKey));
        await check.AssertProblemAsync(404);
    }

    [Fact]
    public async Task CreateLibrary_SameIdTwice_Is409()
    {
        await _host.Client.CreateLibraryAsync("twice");
        using var again = await _host.Client.SendAsync(Request(HttpMethod.Post, "/api/libraries", Samples.Library("twice"), adminKey: TestServices.AdminKey));
        await again.AssertProblemAsync(409);
    }

    public static TheoryData<string, string, string> BadLibraries() => new()
    {
        { "malformed JSON", "{\"id\": \"bad\", \"name\": ", "body" },
        { "wrong type", Json("\"sendTime\": 930"), "sendTime" },
        { "unknown enum", Json("\"scenarios\": {\"overdue\": {\"roles\": [\"dragon\"]}}"), "scenarios.overdue.roles[0]" },
        { "unknown scenario", Json("\"scenarios\": {\"lunch\": {\"enabled\": true}}"), "scenarios.lunch" },
        { "invalid email", Json("\"fromAddress\": \"not-an-address\""), "fromAddress" },
        { "unnormalised email", Json("\"fromAddress\": \"Desk@Library.EXAMPLE.org\""), "fromAddress" },
        { "unknown time zone", Json("\"timeZone\": \"Mars/Olympus\""), "timeZone" },
        { "negative escalation", Json("\"timing\": {\"escalationDaysAfterDue\": [-3, 7]}"), "timing.escalationDaysAfterDue[0]" },
        { "unordered escalation", Json("\"timing\": {\"escalationDaysAfterDue\": [14, 7]}"), "timing.escalationDaysAfterDue[1]" },
        { "unknown provider", Json("\"provider\": \"Pigeon\""), "provider" },
        { "unknown language", Json("\"defaultLanguage\": \"xx-notreal\""), "defaultLanguage" },
        { "reset to carers", Json("\"scenarios\": {\"passwordReset\": {\"roles\": [\"parent\"]}}"), "scenarios.passwordReset.roles" },
        { "unknown field", Json("\"colour\": \"blue\""), "colour" },
        { "missing name", "{\"id\": \"bad\", \"fromAddress\": \"desk@bad.example.org\"}", "body" },
        { "CR/LF in name", Json("\"name\": \"Evil\\r\\nBcc: x@y.z\""), "name" },
        { "chain not starting with email", Json("\"scenarios\": {\"overdue\": {\"channels\": [\"sms\"]}}"), "scenarios.overdue.channels" },
        { "SMS for a scenario without an SMS text", Json("\"scenarios\": {\"passwordReset\": {\"channels\": [\"email\", \"sms\"]}}"), "scenarios.passwordReset.channels" },
        { "channel twice", Json("\"scenarios\": {\"recall\": {\"channels\": [\"email\", \"sms\", \"sms\"]}}"), "scenarios.recall.channels" },
        { "unknown channel", Json("\"scenarios\": {\"recall\": {\"channels\": [\"email\", \"pigeon\"]}}"), "scenarios.recall.channels[1]" },
        { "print before SMS", Json("\"scenarios\": {\"recall\": {\"channels\": [\"email\", \"print\", \"sms\"]}}"), "scenarios.recall.channels" },
        { "print for a password reset", Json("\"scenarios\": {\"passwordReset\": {\"channels\": [\"email\", \"print\"]}}"), "scenarios.passwordReset.channels" },
        { "bad id", "{\"id\": \"../etc\", \"name\": \"n\", \"fromAddress\": \"desk@bad.example.org\"}", "id" },
    };

    [Theory]
    [MemberData(nameof(BadLibraries))]
    public async Task CreateLibrary_BadInput_Is400WithFieldErrorsAndStoresNothing(string why, string body, string field)
    {
        using var response = await _host.Client.SendAsync(Request(HttpMethod.Post, "/api/libraries", body, adminKey: TestServices.AdminKey));

        await response.AssertProblemAsync(400, field == "body" || field == "colour" || field.StartsWith("scenarios.lunch", StringComparison.Ordinal) ? [] : [field]);
        using var check = await _host.Client.SendAsync(Request(HttpMethod.Get, "/api/libraries/bad", adminKey: TestServices.AdminKey));
        Assert.True(check.StatusCode == HttpStatusCode.NotFound, why);
    }

    [Fact]
    public async Task UpdateLibrary_WithOwnKey_ChangesSettingsAndIdMismatchIs400()
    {
        var key = await _host.Client.CreateLibraryAsync("upd");
        var changed = Samples.Library("upd") with { Name = "Renamed", BccMultipleRecipients = true };

        using var ok = await _host.Client.SendAsync(Request(HttpMethod.Put, "/api/libraries/upd", changed, libraryKey: key));
        using var mismatch = await _host.Client.SendAsync(Request(HttpMethod.Put, "/api/libraries/upd", changed with { Id = "other" }, libraryKey: key));
        using var read = await _host.Client.SendAsync(Request(HttpMethod.Get, "/api/libraries/upd", libraryKey: key));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        await mismatch.AssertProblemAsync(400, "id");
        Assert.Equal("Renamed", (await read.JsonAsync())["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task RotateLibraryKey_OldKeyStopsWorkingNewKeyWorks()
    {
        var oldKey = await _host.Client.CreateLibraryAsync("rot");

        using var rotated = await _host.Client.SendAsync(Request(HttpMethod.Post, "/api/libraries/rot/keys/rotate", libraryKey: oldKey));
        var newKey = (await rotated.JsonAsync())["apiKey"]!.GetValue<string>();
        using var withOld = await _host.Client.SendAsync(Request(HttpMethod.Get, "/api/libraries/rot", libraryKey: oldKey));
        using var withNew = await _host.Client.SendAsync(Request(HttpMethod.Get, "/api/libraries/rot", libraryKey: newKey));

        Assert.NotEqual(oldKey, newKey);
        await withOld.AssertProblemAsync(403);
        Assert.Equal(HttpStatusCode.OK, withNew.StatusCode);
    }

    [Fact]
    public async Task DeleteLibrary_RemovesItsPatronsAndKey()
    {
        var key = await _host.Client.CreateLibraryAsync("gone");
        using var put = await _host.Client.SendAsync(Request(HttpMethod.Put, "/api/libraries/gone/patrons/p1", Samples.Patron("p1"), libraryKey: key));
        put.EnsureSuccessStatusCode();

        using var deleted = await _host.Client.SendAsync(Request(HttpMethod.Delete, "/api/libraries/gone", libraryKey: key));
        using var withKey = await _host.Client.SendAsync(Request(HttpMethod.Get, "/api/libraries/gone", libraryKey: key));
        using var patron = await _host.Client.SendAsync(Request(HttpMethod.Get, "/api/libraries/gone/patrons/p1", adminKey: TestServices.AdminKey));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await withKey.AssertProblemAsync(403);
        await patron.AssertProblemAsync(404);
    }

    private static string Json(string extra) =>
        "{\"id\": \"bad\", \"name\": \"Bad\", \"fromAddress\": \"desk@bad.example.org\", " + extra + "}";
}
