using System.Net;
using Comms.Tests.Infrastructure;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Sms;

/// <summary>A library's own SMS texts over real HTTP (dev host, Azurite): save, read, preview, versions, rollback, back to shipped.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class SmsTextApiTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private const string Custom = "{{library.name}}: {{patron.name}}, please bring back:{{#items}} {{title}};{{/items}} thank you. Reply STOP to opt out.";
    private DevHostServer _host = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        _host = await DevHostServer.StartAsync(emulators);
        _key = await _host.Client.CreateLibraryAsync("lib");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Get_NeverSaved_TheShippedTextInTheLibrarysLanguageAtVersion0()
    {
        using var response = await _host.SendAsync(HttpMethod.Get, "/api/libraries/lib/sms/texts/recall", _key);
        var json = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(json["custom"]!.GetValue<bool>());
        Assert.Equal(json["defaultText"]!.GetValue<string>(), json["text"]!.GetValue<string>());
        Assert.Equal("en-GB", json["language"]!.GetValue<string>());
        Assert.Equal(0, json["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Save_ThenPreviewRevertAndRollback_EachAVersionAndThePreviewFollows()
    {
        // Save: version 1, and the preview without a draft renders the library's text.
        using var saved = await _host.SendAsync(HttpMethod.Put, "/api/libraries/lib/sms/texts/overdue", _key, new { text = Custom });
        var savedJson = await saved.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.True(savedJson["custom"]!.GetValue<bool>());
        Assert.Equal(1, savedJson["version"]!.GetValue<int>());
        Assert.StartsWith("Library lib: Alex Morgan, please bring back:", await PreviewTextAsync("overdue"), StringComparison.Ordinal);

        // Back to the shipped text: version 2 without text; the preview shows the shipped text again.
        using var reverted = await _host.SendAsync(HttpMethod.Delete, "/api/libraries/lib/sms/texts/overdue", _key);
        var revertedJson = await reverted.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, reverted.StatusCode);
        Assert.False(revertedJson["custom"]!.GetValue<bool>());
        Assert.Equal(2, revertedJson["version"]!.GetValue<int>());
        Assert.StartsWith("Library lib: items borrowed by", await PreviewTextAsync("overdue"), StringComparison.Ordinal);

        // Rollback to version 1: version 3 with its text; the history lists all three, newest first.
        using var rolledBack = await _host.SendAsync(HttpMethod.Post, "/api/libraries/lib/sms/texts/overdue/rollback", _key, new { version = 1 });
        Assert.Equal(HttpStatusCode.OK, rolledBack.StatusCode);
        Assert.Equal(Custom, (await rolledBack.JsonAsync())["text"]!.GetValue<string>());
        using var versions = await _host.SendAsync(HttpMethod.Get, "/api/libraries/lib/sms/texts/overdue/versions", _key);
        var items = (await versions.JsonAsync())["items"]!.AsArray();
        Assert.Equal([3, 2, 1], items.Select(v => v!["version"]!.GetValue<int>()));
        Assert.Null(items[1]!["text"]);
        Assert.Equal("Rolled back to version 1.", items[0]!["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task Save_InAnotherLanguage_TheLibrarysLanguageKeepsTheShippedText()
    {
        using var saved = await _host.SendAsync(HttpMethod.Put, "/api/libraries/lib/sms/texts/recall", _key,
            new { text = "{{library.name}} : merci de rapporter vos documents. STOP pour ne plus recevoir.", language = "fr" });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        using var french = await _host.SendAsync(HttpMethod.Get, "/api/libraries/lib/sms/texts/recall?language=fr", _key);
        using var list = await _host.SendAsync(HttpMethod.Get, "/api/libraries/lib/sms/texts", _key);
        var listed = (await list.JsonAsync())["items"]!.AsArray();

        Assert.True((await french.JsonAsync())["custom"]!.GetValue<bool>());
        Assert.False(listed.Single(i => i!["scenario"]!.GetValue<string>() == "recall")!["custom"]!.GetValue<bool>());
        Assert.Contains(listed, i => i!["scenario"]!.GetValue<string>() == "escalation-3");
        Assert.DoesNotContain(listed, i => i!["scenario"]!.GetValue<string>() == "escalation-4");
    }

    [Theory]
    [InlineData("recall", "{\"text\": \"{{patron.nmae}} please return\"}", "text")]
    [InlineData("recall", "{\"text\": \"{{#items}}never closed\"}", "text")]
    [InlineData("recall", "{\"text\": \"{{> partial}}\"}", "text")]
    [InlineData("recall", "{\"text\": \"   \"}", "text")]
    [InlineData("recall", "{}", "text")]
    [InlineData("recall", "{\"text\": \"Hello\", \"language\": \"xx-notreal\"}", "language")]
    [InlineData("password-reset", "{\"text\": \"Hello\"}", "scenario")]
    [InlineData("escalation-4", "{\"text\": \"Hello\"}", "scenario")]
    [InlineData("lunch", "{\"text\": \"Hello\"}", "scenario")]
    public async Task Save_BadInput_Is400WithTheFieldAndNothingSaved(string scenario, string body, string field)
    {
        using var response = await _host.SendAsync(HttpMethod.Put, $"/api/libraries/lib/sms/texts/{scenario}", _key, body);

        await response.AssertProblemAsync(400, field);
        if (scenario == "recall")
        {
            using var current = await _host.SendAsync(HttpMethod.Get, "/api/libraries/lib/sms/texts/recall", _key);
            Assert.Equal(0, (await current.JsonAsync())["version"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Save_LongerThanTheLimit_Is400OnText()
    {
        using var response = await _host.SendAsync(HttpMethod.Put, "/api/libraries/lib/sms/texts/recall", _key, new { text = new string('a', 2001) });

        await response.AssertProblemAsync(400, "text");
    }

    [Fact]
    public async Task Rollback_ToAVersionThatDoesNotExist_Is400OnVersion()
    {
        using var response = await _host.SendAsync(HttpMethod.Post, "/api/libraries/lib/sms/texts/declared-lost/rollback", _key, new { version = 7 });

        await response.AssertProblemAsync(400, "version");
    }

    private async Task<string> PreviewTextAsync(string scenario)
    {
        using var response = await _host.SendAsync(HttpMethod.Post, "/api/libraries/lib/sms/preview", _key, new { scenario });
        return (await response.JsonAsync())["text"]!.GetValue<string>();
    }
}
