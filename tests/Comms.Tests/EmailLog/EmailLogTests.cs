using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Comms.Common;
using Comms.DevHost;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Security;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.EmailLog;

[Collection(EmulatorCollection.Name)]
public sealed class EmailLogTests(EmulatorFixture emulators)
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task QueryAsync_Filters_ReturnNewestFirstWithinRangeAndPage()
    {
        await using var services = TestServices.Create(emulators);
        var store = services.GetRequiredService<EmailLogStore>();
        await store.AppendManyAsync([.. Entries("lib-a")]);

        var all = await store.QueryAsync("lib-a", new EmailLogQuery());
        var tuesday = await store.QueryAsync("lib-a", new EmailLogQuery { From = new DateTimeOffset(2026, 3, 3, 0, 0, 0, TimeSpan.Zero), To = new DateTimeOffset(2026, 3, 4, 0, 0, 0, TimeSpan.Zero) });
        var failedOverdue = await store.QueryAsync("lib-a", new EmailLogQuery { Status = EmailStatus.Failed, Scenario = new(Scenarios.Scenario.Overdue) });
        var byAddress = await store.QueryAsync("lib-a", new EmailLogQuery { Address = "READER1@example.org" });
        var firstPage = await store.QueryAsync("lib-a", new EmailLogQuery { PageSize = 4 });
        var secondPage = await store.QueryAsync("lib-a", new EmailLogQuery { PageSize = 4, ContinuationToken = firstPage.ContinuationToken });

        Assert.Equal(10, all.Items.Count);
        Assert.Equal(all.Items.OrderByDescending(e => e.Time).Select(e => e.Id), all.Items.Select(e => e.Id));
        Assert.Equal([21, 9], tuesday.Items.Select(e => e.Time.Hour));
        Assert.All(tuesday.Items, e => Assert.Equal(3, e.Time.Day));
        Assert.All(failedOverdue.Items, e => Assert.Equal((EmailStatus.Failed, "overdue"), (e.Status, e.Scenario)));
        Assert.NotEmpty(failedOverdue.Items);
        Assert.All(byAddress.Items, e => Assert.Equal("Reader1@example.org", e.Address));
        Assert.Equal(4, firstPage.Items.Count);
        Assert.Empty(firstPage.Items.Select(e => e.Id).Intersect(secondPage.Items.Select(e => e.Id)));
    }

    [Fact]
    public void Parse_BadFilters_ListsEveryField()
    {
        var e = Assert.Throws<RequestValidationException>(() =>
            EmailLogService.Parse(new EmailLogFilter("yesterday", "2026-13-01", "Opened", "late", "not-an-address", Channel: "Sms")));

        Assert.Equal(["address", "channel", "from", "scenario", "status", "to"], e.Errors.Keys.Order());
    }

    [Fact]
    public async Task GetEmailLog_OverHttp_OwnKeyReadsOtherLibrarysKeyIsForbiddenBadFilterIs400()
    {
        var port = NodeProcess.FreePort();
        var settings = TestServices.Settings(emulators);
        await using var app = DevHostApp.Build(["--urls", $"http://127.0.0.1:{port}"], b => b.Configuration.AddInMemoryCollection(settings));
        await app.StartAsync();
        var libraries = app.Services.GetRequiredService<LibraryService>();
        var (_, keyA) = await libraries.CreateAsync(Samples.Library("lib-a"));
        var (_, keyB) = await libraries.CreateAsync(Samples.Library("lib-b"));
        await app.Services.GetRequiredService<EmailLogStore>().AppendManyAsync([.. Entries("lib-a")]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/") };

        var own = await Get(http, "libraries/lib-a/email-log?status=Sent&pageSize=2", keyA);
        var other = await Get(http, "libraries/lib-a/email-log", keyB);
        var bad = await Get(http, "libraries/lib-a/email-log?from=yesterday&status=Nope", keyA);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var page = await own.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.All(page.GetProperty("items").EnumerateArray(), i => Assert.Equal("sent", i.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("from", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _));
        await app.StopAsync();
    }

    [Fact]
    public async Task GetEmailLog_GarbageOrOtherLibrarysContinuationToken_Is400AndTheIssuedOneWorks()
    {
        var port = NodeProcess.FreePort();
        var settings = TestServices.Settings(emulators);
        await using var app = DevHostApp.Build(["--urls", $"http://127.0.0.1:{port}"], b => b.Configuration.AddInMemoryCollection(settings));
        await app.StartAsync();
        var libraries = app.Services.GetRequiredService<LibraryService>();
        var (_, keyA) = await libraries.CreateAsync(Samples.Library("lib-a"));
        var (_, keyB) = await libraries.CreateAsync(Samples.Library("lib-b"));
        await app.Services.GetRequiredService<EmailLogStore>().AppendManyAsync([.. Entries("lib-a"), .. Entries("lib-b")]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/") };
        var first = await (await Get(http, "libraries/lib-a/email-log?pageSize=4", keyA)).Content.ReadFromJsonAsync<JsonElement>();
        var tokenA = first.GetProperty("continuationToken").GetString()!;
        var tokenB = (await (await Get(http, "libraries/lib-b/email-log?pageSize=4", keyB)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("continuationToken").GetString()!;

        using var next = await Get(http, "libraries/lib-a/email-log?pageSize=4&continuationToken=" + Uri.EscapeDataString(tokenA), keyA);
        using var garbage = await Get(http, "libraries/lib-a/email-log?continuationToken=garbage", keyA);
        using var otherLibrarys = await Get(http, "libraries/lib-a/email-log?continuationToken=" + Uri.EscapeDataString(tokenB), keyA);

        Assert.Equal(4, (await next.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").GetArrayLength());
        foreach (var bad in new[] { garbage, otherLibrarys })
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
            Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("continuationToken", out _));
        }

        await app.StopAsync();
    }

    private static Task<HttpResponseMessage> Get(HttpClient http, string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(LibraryAccess.LibraryKeyHeader, key);
        return http.SendAsync(request);
    }

    /// <summary>Ten entries over five days, alternating status and scenario, two addresses.</summary>
    [Fact]
    public async Task QueryAsync_NoticeId_ReturnsEveryAttemptOfThatNoticeInThisLibraryOnly()
    {
        // Arrange: n3 tried twice (a retry after a failure), and another library's row with the same notice id.
        await using var services = TestServices.Create(emulators);
        var store = services.GetRequiredService<EmailLogStore>();
        var retry = Monday.AddDays(3);
        await store.AppendManyAsync([
            .. Entries("lib-a"),
            .. Entries("lib-b"),
            new EmailLogEntry { Id = EmailLogStore.NewId(retry), Time = retry, LibraryId = "lib-a", Scenario = "overdue", NoticeId = "n3", Status = EmailStatus.Sent, Provider = "Acs", Attempt = 2 },
        ]);

        // Act
        var attempts = await store.QueryAsync("lib-a", EmailLogService.Parse(new EmailLogFilter(null, null, null, null, null, NoticeId: "n3")));

        // Assert
        Assert.Equal([("Acs", 2), ("Ses", 1)], attempts.Items.Select(e => (e.Provider!, e.Attempt)));
        Assert.All(attempts.Items, e => Assert.Equal(("lib-a", "n3"), (e.LibraryId, e.NoticeId)));
        Assert.Throws<RequestValidationException>(() => EmailLogService.Parse(new EmailLogFilter(null, null, null, null, null, NoticeId: new string('x', 201))));
    }

    private static IEnumerable<EmailLogEntry> Entries(string lib) => Enumerable.Range(0, 10).Select(i =>
    {
        var time = Monday.AddHours(i * 12);
        return new EmailLogEntry
        {
            Id = EmailLogStore.NewId(time),
            Time = time,
            LibraryId = lib,
            Scenario = i % 3 == 0 ? "pre-overdue" : "overdue",
            NoticeId = $"n{i}",
            Address = $"Reader{i % 2}@example.org",
            Status = i % 2 == 0 ? EmailStatus.Sent : EmailStatus.Failed,
            Provider = "Ses",
        };
    });
}
