using System.Net;
using Comms.Functions.StaffPage;
using Comms.Tests.Infrastructure;

namespace Comms.Tests.StaffPage;

[Collection(EmulatorCollection.Name)]
public sealed class StaffPageHttpTests(EmulatorFixture emulators)
{
    [Theory]
    [InlineData("/api/staff/", "text/html")]
    [InlineData("/api/staff/index.html", "text/html")]
    [InlineData("/api/staff/app.css", "text/css")]
    [InlineData("/api/staff/js/app.js", "text/javascript")]
    [InlineData("/api/staff/favicon.svg", "image/svg+xml")]
    public async Task StaffPage_EmbeddedFile_ServedWithContentTypeAndStrictPolicy(string path, string mediaType)
    {
        await using var server = await DevHostServer.StartAsync(emulators);

        using var response = await server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(StaffPageHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("script-src 'self';", StaffPageHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self';", StaffPageHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", StaffPageHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task StaffPage_UnknownOrEscapingPath_Is404_AndBarePathRedirectsToFolder()
    {
        await using var server = await DevHostServer.StartAsync(emulators);

        using var missing = await server.Client.GetAsync("/api/staff/nope.js");
        using var escaping = await server.Client.GetAsync("/api/staff/..%2FComms.Functions.dll");
        using var bare = await server.Client.GetAsync("/api/staff");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, escaping.StatusCode);
        Assert.Equal("/api/staff/", bare.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
    }

    [Fact]
    public void StaffPageAssets_IndexHasNoInlineScriptAndNothingFromOutside()
    {
        var assets = new StaffPageAssets();
        var index = System.Text.Encoding.UTF8.GetString(assets.Find(string.Empty)!.Content);

        Assert.Contains("js/app.js", assets.Paths);
        Assert.DoesNotContain("<script>", index, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", index, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", index, StringComparison.Ordinal);
    }
}
