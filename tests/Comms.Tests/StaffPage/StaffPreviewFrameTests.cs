using System.Net;
using Comms.Functions.StaffPage;
using Comms.Tests.Infrastructure;

namespace Comms.Tests.StaffPage;

/// <summary>The preview frame's document: images from exactly the logo's https origin, never a script, nothing else.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class StaffPreviewFrameTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task PreviewFrame_WithLogo_AllowsImagesFromThatOriginOnly_NoScriptSandboxed()
    {
        await using var server = await DevHostServer.StartAsync(emulators);

        using var response = await server.Client.GetAsync("/api/staff/preview-frame?logo=" + Uri.EscapeDataString("https://Logo.Riverside.example:8443/brand/logo.png?v=2"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(
            "default-src 'none'; style-src 'unsafe-inline'; img-src data: https://logo.riverside.example:8443; base-uri 'none'; " +
            "form-action 'none'; frame-ancestors 'self'; sandbox allow-same-origin",
            policy);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("SAMEORIGIN", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.DoesNotContain("<script", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://logo.example.org/logo.png")]
    [InlineData("https://192.0.2.1/logo.png")]
    [InlineData("https://user@logo.example.org/logo.png")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://logo.example.org;script-src *")]
    [InlineData("https://logo.example.org\r\nX-Evil: 1")]
    [InlineData("*")]
    [InlineData("logo.png")]
    public async Task PreviewFrame_LogoNotAnHttpsNamedHost_AllowsNoOutsideImage(string logo)
    {
        await using var server = await DevHostServer.StartAsync(emulators);

        using var response = await server.Client.GetAsync("/api/staff/preview-frame?logo=" + Uri.EscapeDataString(logo));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(StaffPreviewFrame.Policy(null), response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("img-src data:;", StaffPreviewFrame.Policy(null), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("X-Evil"));
    }
}
