using System.Net;
using Comms.Tests.Infrastructure;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Sms;

[Collection(EmulatorCollection.Name)]
public sealed class SmsPreviewApiTests(EmulatorFixture emulators) : IAsyncLifetime
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
    public async Task Preview_ShippedOverdueText_RenderedForTheLibraryInGsm7WithItsSegments()
    {
        using var response = await _host.SendAsync(HttpMethod.Post, "/api/libraries/lib/sms/preview", _key, new { scenario = "overdue" });
        var json = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("Library lib: items borrowed by", json["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("gsm7", json["encoding"]!.GetValue<string>());
        Assert.InRange(json["segments"]!.GetValue<int>(), 1, 2);
        Assert.True(json["fallsBackToSms"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Preview_DraftOutsideGsm7_Ucs2With70CharactersPerMessage()
    {
        using var response = await _host.SendAsync(HttpMethod.Post, "/api/libraries/lib/sms/preview", _key,
            new { scenario = "reservation-ready", text = "Żółw {{reservation.title}} czeka na {{patron.name}}." });
        var json = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ucs2", json["encoding"]!.GetValue<string>());
        Assert.Equal(json["text"]!.GetValue<string>().Length, json["units"]!.GetValue<int>());
        Assert.False(json["fallsBackToSms"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("{\"scenario\": \"lunch\"}", "scenario")]
    [InlineData("{\"scenario\": \"password-reset\"}", "scenario")]
    [InlineData("{\"scenario\": \"overdue\", \"text\": \"{{patron.password}}\"}", "text")]
    [InlineData("{\"scenario\": \"overdue\", \"text\": \"{{#items}}unclosed\"}", "text")]
    [InlineData("{\"scenario\": \"overdue\", \"language\": \"xx-notreal\"}", "language")]
    public async Task Preview_BadInput_Is400WithTheField(string body, string field)
    {
        using var response = await _host.SendAsync(HttpMethod.Post, "/api/libraries/lib/sms/preview", _key, body);

        await response.AssertProblemAsync(400, field);
    }
}
