using System.Net;
using System.Text.Json;
using Comms.Tests.Infrastructure;

namespace Comms.Tests.Layouts;

/// <summary>GET/PUT/DELETE …/layout over real HTTP, the preview framed by it, and content-mode templates saved, previewed and rolled back.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class LayoutHttpTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private DevHostServer _server = null!;
    private string _keyA = string.Empty;
    private string _keyB = string.Empty;

    private static readonly object Branded = new
    {
        logoUrl = "https://cdn.lib-a.example.org/logo.png",
        brandColour = "#0B3D91",
        brandTextColour = "#ffffff",
        linkColour = "#1a56db",
        address = "1 River Street\nRiverside",
        footerText = "Open <every> day",
        contactLine = "Call 01234 567890",
    };

    public async Task InitializeAsync()
    {
        _server = await DevHostServer.StartAsync(emulators);
        _keyA = await _server.CreateLibraryAsync(Samples.Library("lib-a"));
        _keyB = await _server.CreateLibraryAsync(Samples.Library("lib-b"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Layout_SetReadPreviewAndReset_WorkOverHttp()
    {
        using var unset = await _server.SendAsync(HttpMethod.Get, "/api/libraries/lib-a/layout", _keyA);
        using var put = await _server.SendAsync(HttpMethod.Put, "/api/libraries/lib-a/layout", _keyA, Branded);
        using var read = await _server.SendAsync(HttpMethod.Get, "/api/libraries/lib-a/layout", _keyA);
        using var preview = await _server.SendAsync(HttpMethod.Post, "/api/libraries/lib-a/templates/preview", _keyA, new { templateId = "default:welcome" });
        using var reset = await _server.SendAsync(HttpMethod.Delete, "/api/libraries/lib-a/layout", _keyA);
        using var after = await _server.SendAsync(HttpMethod.Get, "/api/libraries/lib-a/layout", _keyA);

        Assert.Equal(HttpStatusCode.OK, unset.StatusCode);
        Assert.Equal("#1f2933", (await Json(unset)).GetProperty("brandColour").GetString());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var layout = await Json(read);
        Assert.Equal("#0b3d91", layout.GetProperty("brandColour").GetString());
        Assert.Equal("https://cdn.lib-a.example.org/logo.png", layout.GetProperty("logoUrl").GetString());
        var shown = await Json(preview);
        var html = shown.GetProperty("html").GetString()!;
        Assert.Contains("<img src=\"https://cdn.lib-a.example.org/logo.png\"", html, StringComparison.Ordinal);
        Assert.Contains("Open &lt;every&gt; day", html, StringComparison.Ordinal);
        Assert.Single(html.Split("<!DOCTYPE").Skip(1));
        Assert.DoesNotContain("<!--", html, StringComparison.Ordinal);
        Assert.EndsWith("Open <every> day\n\nCall 01234 567890\n\n1 River Street\nRiverside\n", shown.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.False((await Json(after)).TryGetProperty("logoUrl", out var logo) && logo.ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task Put_BadLayout_Returns400WithEachFieldAndChangesNothing()
    {
        using var before = await _server.SendAsync(HttpMethod.Put, "/api/libraries/lib-a/layout", _keyA, Branded);
        using var bad = await _server.SendAsync(HttpMethod.Put, "/api/libraries/lib-a/layout", _keyA, new
        {
            logoUrl = "javascript:alert(1)",
            brandColour = "#ffff00",
            brandTextColour = "#ffffff",
            linkColour = "red",
            contactLine = "a\r\nBcc: x@evil.example",
        });
        using var unknown = await _server.SendAsync(HttpMethod.Put, "/api/libraries/lib-a/layout", _keyA, """{"font":"Comic Sans"}""");
        using var empty = await _server.SendAsync(HttpMethod.Put, "/api/libraries/lib-a/layout", _keyA, "{}");
        using var read = await _server.SendAsync(HttpMethod.Get, "/api/libraries/lib-a/layout", _keyA);

        await bad.AssertProblemAsync(400, "logoUrl", "brandTextColour", "linkColour", "contactLine");
        await unknown.AssertProblemAsync(400, "font");
        await empty.AssertProblemAsync(400, "brandColour", "brandTextColour", "linkColour");
        Assert.Equal("#0b3d91", (await Json(read)).GetProperty("brandColour").GetString());
    }

    [Fact]
    public async Task Layout_AnotherLibrarysKey_Is403AndNothingChanges()
    {
        using var read = await _server.SendAsync(HttpMethod.Get, "/api/libraries/lib-a/layout", _keyB);
        using var put = await _server.SendAsync(HttpMethod.Put, "/api/libraries/lib-a/layout", _keyB, Branded);
        using var delete = await _server.SendAsync(HttpMethod.Delete, "/api/libraries/lib-a/layout", _keyB);
        using var own = await _server.SendAsync(HttpMethod.Get, "/api/libraries/lib-a/layout", _keyA);

        await read.AssertProblemAsync(403);
        await put.AssertProblemAsync(403);
        await delete.AssertProblemAsync(403);
        Assert.Equal("#1f2933", (await Json(own)).GetProperty("brandColour").GetString());
    }

    [Fact]
    public async Task Preview_DraftLayout_FramesTheDraftAndIsValidatedUnderLayout()
    {
        using var shown = await _server.SendAsync(HttpMethod.Post, "/api/libraries/lib-a/templates/preview", _keyA, new
        {
            templateId = "default:overdue",
            layout = new { brandColour = "#1f2933", brandTextColour = "#ffffff", linkColour = "#1a56db", footerText = "Draft footer" },
        });
        using var bad = await _server.SendAsync(HttpMethod.Post, "/api/libraries/lib-a/templates/preview", _keyA, new
        {
            templateId = "default:overdue",
            layout = new { brandColour = "#ffffff", brandTextColour = "#ffffff", linkColour = "#1a56db" },
        });

        Assert.Contains("Draft footer", (await Json(shown)).GetProperty("html").GetString(), StringComparison.Ordinal);
        await bad.AssertProblemAsync(400, "layout.brandTextColour");
    }

    [Fact]
    public async Task ContentMode_SaveVersionsPreviewAndRollback_WorkOverHttp()
    {
        using var created = await _server.SendAsync(HttpMethod.Post, "/api/libraries/lib-a/templates", _keyA, new { copyFrom = "default:overdue", name = "Plain words" });
        var id = (await Json(created)).GetProperty("template").GetProperty("id").GetString()!;
        var path = $"/api/libraries/lib-a/templates/{id}";
        var settings = new { name = "Plain words", active = false, usedBy = new[] { "overdue" }, language = "en-GB", subject = "Overdue: {{patron.name}}" };

        using var saved = await _server.SendAsync(HttpMethod.Put, path, _keyA, new
        {
            settings.name, settings.active, settings.usedBy, settings.language, settings.subject,
            mode = "content",
            source = "# Please bring them back\n\nDear {{recipient.name}},\n\n[[table items]]\n\n**Thank you!**",
        });
        using var invalid = await _server.SendAsync(HttpMethod.Put, path, _keyA, new
        {
            settings.name, settings.active, settings.usedBy, settings.language, settings.subject,
            mode = "content",
            source = "Dear {{recipient.name}},\n\nYou owe {{charges.total}}",
        });
        using var version = await _server.SendAsync(HttpMethod.Get, path + "/versions/2", _keyA);
        using var preview = await _server.SendAsync(HttpMethod.Post, "/api/libraries/lib-a/templates/preview", _keyA, new { templateId = id });
        using var draft = await _server.SendAsync(HttpMethod.Post, "/api/libraries/lib-a/templates/preview", _keyA, new
        {
            scenario = "overdue",
            draft = new { subject = "x", mode = "content", source = "Hi *{{patron.name}}*" },
        });
        using var rolledBack = await _server.SendAsync(HttpMethod.Post, path + "/rollback", _keyA, new { version = 1 });

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var problem = await invalid.AssertProblemAsync(400, "source");
        Assert.StartsWith("Line 3, column 9: Unknown variable 'charges.total'", problem["errors"]!["source"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var content = (await Json(version)).GetProperty("content");
        Assert.Equal("content", content.GetProperty("mode").GetString());
        Assert.Contains("<th scope=\"col\"", content.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Please bring them back\n\nDear {{recipient.name}},\n\n{{#items}}", content.GetProperty("text").GetString(), StringComparison.Ordinal);
        var html = (await Json(preview)).GetProperty("html").GetString()!;
        Assert.Contains("<strong>Thank you!</strong>", html, StringComparison.Ordinal);
        Assert.Contains("The Hobbit", html, StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en-GB\">", html, StringComparison.Ordinal);
        Assert.Contains("Hi <em>Alex Morgan</em>", (await Json(draft)).GetProperty("html").GetString(), StringComparison.Ordinal);
        var back = (await Json(rolledBack)).GetProperty("content");
        Assert.Equal("html", back.GetProperty("mode").GetString());
        Assert.StartsWith("<h1", back.GetProperty("html").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
