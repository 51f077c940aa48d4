using Comms.Contacts;
using Comms.EmailLog;
using Comms.Suppression;
using Comms.Tests.Delivery;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Suppression;

[Collection(EmulatorCollection.Name)]
public sealed class AcsSuppressionTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task Sync_AcsListOverSeveralPages_BlacklistsEveryAddressWithItsResourceId_AndRemoveDeletesIt()
    {
        await using var arm = await FakeArmServer.StartAsync();
        foreach (var i in Enumerable.Range(1, 5))
        {
            arm.Addresses[$"a{i}"] = $"acs{i}@example.org";
        }

        await using var services = Create(arm);
        var blacklist = services.GetRequiredService<BlacklistStore>();

        var result = Assert.Single(await services.GetRequiredService<SuppressionSync>().RunAsync());
        var entry = await blacklist.GetAsync("acs3@example.org");
        var removed = await services.GetRequiredService<AcsSuppressionSource>().RemoveAsync(entry!, default);

        Assert.Equal((5, 3, true), (result.Processed, result.Pages, result.Full));
        Assert.Equal(("added by support", BlacklistSources.Acs), (entry!.Reason, entry.Source));
        Assert.EndsWith("/suppressionListAddresses/a3", entry.ProviderRef, StringComparison.Ordinal);
        Assert.True(removed);
        Assert.Equal(["a3"], arm.Deleted);
    }

    [Fact]
    public async Task DeliveryReport_BouncedAndDelivered_BlacklistsAndUpdatesTheEmailLogRowOfThatMessage()
    {
        await using var arm = await FakeArmServer.StartAsync();
        await using var services = Create(arm);
        var log = services.GetRequiredService<EmailLogStore>();
        var lib = DeliveryTestServices.Unique("acs");
        var delivered = Guid.NewGuid().ToString();
        var bounced = Guid.NewGuid().ToString();
        await log.AppendManyAsync([Entry(lib, delivered, "ok@example.org"), Entry(lib, bounced, "gone@example.org")]);
        var handler = services.GetRequiredService<DeliveryReportHandler>();

        var applied = await handler.HandleAsync(BinaryData.FromString($"[{Report(delivered, "ok@example.org", "Delivered")},{Report(bounced, "gone@example.org", "Bounced")}]"));
        var garbage = await handler.HandleAsync(BinaryData.FromString("not an event"));
        var encoded = await handler.HandleAsync(BinaryData.FromString(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Report("m-x", "held@example.org", "Suppressed")))));

        var rows = (await log.QueryAsync(lib, new EmailLogQuery())).Items;
        Assert.Equal(2, applied);
        Assert.Equal(0, garbage);
        Assert.Equal(1, encoded);
        Assert.True(await services.GetRequiredService<BlacklistStore>().IsBlacklistedAsync("held@example.org"));
        Assert.Equal(EmailStatus.Delivered, rows.Single(r => r.ProviderMessageId == delivered).Status);
        Assert.Equal(EmailStatus.Bounced, rows.Single(r => r.ProviderMessageId == bounced).Status);
        Assert.Equal(BlacklistSources.AcsEvent, (await services.GetRequiredService<BlacklistStore>().GetAsync("gone@example.org"))!.Source);
        Assert.False(await services.GetRequiredService<BlacklistStore>().IsBlacklistedAsync("ok@example.org"));
    }

    private ServiceProvider Create(FakeArmServer arm) => DeliveryTestServices.Create(
        emulators,
        s =>
        {
            s["Comms:Suppression:Acs:SuppressionLists"] = FakeArmServer.ListId;
            s["Comms:Suppression:Acs:ArmEndpoint"] = arm.Endpoint.ToString();
        },
        services => services.AddSingleton(new ArmCredential(FakeArmServer.Credential)));

    private static EmailLogEntry Entry(string lib, string messageId, string address) => new()
    {
        Id = EmailLogStore.NewId(DateTimeOffset.UtcNow),
        Time = DateTimeOffset.UtcNow,
        LibraryId = lib,
        Scenario = "overdue",
        NoticeId = Guid.NewGuid().ToString("N"),
        Address = address,
        Role = ContactRole.Patron,
        Provider = "Acs",
        ProviderMessageId = messageId,
        Status = EmailStatus.Sent,
    };

    private static string Report(string messageId, string recipient, string status) => System.Text.Json.JsonSerializer.Serialize(new
    {
        id = Guid.NewGuid().ToString(),
        eventType = "Microsoft.Communication.EmailDeliveryReportReceived",
        subject = $"sender/desk@example.org/message/{messageId}",
        eventTime = "2026-03-01T10:00:00Z",
        dataVersion = "1.0",
        topic = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs",
        data = new
        {
            sender = "desk@example.org",
            recipient,
            messageId,
            status,
            deliveryStatusDetails = new { statusMessage = $"Mailbox for {recipient} answered" },
            deliveryAttemptTimeStamp = "2026-03-01T10:00:00Z",
        },
    });
}
