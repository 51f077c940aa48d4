using System.Net;
using Comms.Notices;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Accounts;

[Collection(EmulatorCollection.Name)]
public sealed class PasswordResetApiTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private readonly RecordingNoticeDispatcher _dispatcher = new();
    private DevHostServer _host = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        _host = await DevHostServer.StartAsync(emulators, services: s => s.AddSingleton<INoticeDispatcher>(_dispatcher));
        _key = await _host.Client.CreateLibraryAsync("lib");
        using var put = await _host.Client.SendAsync(Request(HttpMethod.Put, "/api/libraries/lib/patrons/p1", Samples.Patron("p1"), libraryKey: _key));
        put.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task SendPasswordReset_Valid_QueuedThenDispatchedOnceWithTheLinkToThePatron()
    {
        using var response = await Send(Reset("https://opac.example.org/reset?t=s3cr3t"));
        using var repeat = await Send(Reset("https://opac.example.org/reset?t=s3cr3t"));
        await _host.OutboxSettledAsync("lib");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await response.JsonAsync();
        var noticeId = answer["noticeId"]!.GetValue<string>();
        Assert.Equal($"/api/libraries/lib/notices/{noticeId}", response.Headers.Location?.OriginalString);
        Assert.Equal(noticeId, (await repeat.JsonAsync())["noticeId"]!.GetValue<string>());
        Assert.DoesNotContain("s3cr3t", answer.ToJsonString(), StringComparison.Ordinal);
        var request = Assert.Single(_dispatcher.Requests);
        Assert.Equal("password-reset", request.Scenario.ToString());
        Assert.Equal("p1", request.PatronId);
        Assert.Equal("https://opac.example.org/reset?t=s3cr3t", request.PasswordReset!.Link.AbsoluteUri);
        Assert.DoesNotContain("s3cr3t", request.SubjectRecordId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendPasswordReset_FourthInAnHour_Is429WithRetryAfter()
    {
        for (var i = 0; i < 3; i++)
        {
            using var ok = await Send(Reset($"https://opac.example.org/reset?t={i}"));
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        }

        using var limited = await Send(Reset("https://opac.example.org/reset?t=4"));
        await _host.OutboxSettledAsync("lib");

        await limited.AssertProblemAsync(429);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(50));
        Assert.Equal(3, _dispatcher.Requests.Count);
    }

    public static TheoryData<string, string> BadResets() => new()
    {
        { "{\"patronId\": \"p1\", \"resetLink\": \"http://evil.example.org/r\", \"expiresAt\": \"2099-01-01T00:00:00Z\"}", "resetLink" },
        { "{\"patronId\": \"p1\", \"resetLink\": \"javascript:alert(1)\", \"expiresAt\": \"2099-01-01T00:00:00Z\"}", "resetLink" },
        { "{\"patronId\": \"p1\", \"resetLink\": \"https://x.example.org/r\", \"expiresAt\": \"2000-01-01T00:00:00Z\"}", "expiresAt" },
        { "{\"patronId\": \"../p1\", \"resetLink\": \"https://x.example.org/r\", \"expiresAt\": \"2099-01-01T00:00:00Z\"}", "patronId" },
        { "{\"patronId\": \"p1\", \"resetLink\": \"https://x.example.org/r\", \"expiresAt\": \"soon\"}", "expiresAt" },
        { "{\"resetLink\": \"https://x.example.org/r\"}", "" },
    };

    [Theory]
    [MemberData(nameof(BadResets))]
    public async Task SendPasswordReset_BadInput_Is400AndSendsNothing(string body, string field)
    {
        using var response = await Send(body);

        await response.AssertProblemAsync(400, field.Length == 0 ? [] : [field]);
        Assert.Empty(_dispatcher.Requests);
    }

    [Fact]
    public async Task SendPasswordReset_UnknownPatron_Is404AndOtherLibrarysKeyIs403()
    {
        var otherKey = await _host.Client.CreateLibraryAsync("other");

        using var unknown = await Send(Reset("https://x.example.org/r", patronId: "nobody"));
        using var foreign = await _host.Client.SendAsync(Request(HttpMethod.Post, "/api/libraries/lib/password-resets", Reset("https://x.example.org/r"), libraryKey: otherKey));

        await unknown.AssertProblemAsync(404);
        await foreign.AssertProblemAsync(403);
        Assert.Empty(_dispatcher.Requests);
    }

    private Task<HttpResponseMessage> Send(string body) =>
        _host.Client.SendAsync(Request(HttpMethod.Post, "/api/libraries/lib/password-resets", body, libraryKey: _key));

    private static string Reset(string link, string patronId = "p1") =>
        Serialize(new { patronId, resetLink = link, expiresAt = DateTimeOffset.UtcNow.AddHours(1) });
}
