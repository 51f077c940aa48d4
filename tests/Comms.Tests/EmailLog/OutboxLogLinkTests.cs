using System.Net;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.EmailLog;

[Collection(EmulatorCollection.Name)]
public sealed class OutboxLogLinkTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task NoticeStatusEmailLogLink_OfASentImmediateNotice_ListsItsRowsOnly()
    {
        // Arrange: two reports through the outbox, so the log holds rows of another notice too.
        await using var server = await DevHostServer.StartAsync(emulators);
        var key = await server.CreateLibraryAsync(Samples.Library("lib-a"));
        await server.Services.GetRequiredService<Comms.Contacts.PatronService>().UpsertAsync("lib-a", "p1", Samples.Patron("p1"));
        string noticeId = null!;
        for (var i = 0; i < 2; i++)
        {
            using var queued = await server.SendAsync(HttpMethod.Post, "/api/libraries/lib-a/patrons/p1/current-loans-report", key);
            queued.EnsureSuccessStatusCode();
            noticeId = (await queued.JsonAsync())["notice"]!["noticeId"]!.GetValue<string>();
        }

        await server.OutboxSettledAsync("lib-a");

        // Act: follow the status's link to the email log.
        using var status = await server.SendAsync(HttpMethod.Get, $"/api/libraries/lib-a/notices/{noticeId}", key);
        var link = (await status.JsonAsync())["links"]!["emailLog"]!.GetValue<string>();
        using var log = await server.SendAsync(HttpMethod.Get, link, key);

        // Assert
        Assert.Equal(HttpStatusCode.OK, log.StatusCode);
        var items = (await log.JsonAsync())["items"]!.AsArray();
        Assert.NotEmpty(items);
        Assert.All(items, item => Assert.Equal(noticeId, item!["outboxNoticeId"]!.GetValue<string>()));
    }
}
