using System.Text;
using System.Text.Json.Nodes;
using Comms.Suppression;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Suppression;

[Collection(EmulatorCollection.Name)]
public sealed class SesNotificationApiTests(EmulatorFixture emulators)
{
    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task Post_SignedPermanentBounce_BlacklistsTheRecipient(string version)
    {
        await using var sns = await SnsTestSigner.StartAsync();
        await using var host = await DevHostServer.StartAsync(emulators, sns.Trust);
        var address = $"bounce{Guid.NewGuid():N}@mail.example.org";

        using var response = await PostAsync(host, sns.Notification(SnsTestSigner.Bounce("Permanent", address), version));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var entry = await host.Services.GetRequiredService<BlacklistStore>().GetAsync(address);
        Assert.Equal(("hard bounce", BlacklistSources.SesNotification), (entry!.Reason, entry.Source));
    }

    [Fact]
    public async Task Post_TransientBounceAndComplaint_OnlyTheComplaintIsBlacklisted()
    {
        await using var sns = await SnsTestSigner.StartAsync();
        await using var host = await DevHostServer.StartAsync(emulators, sns.Trust);
        var transient = $"soft{Guid.NewGuid():N}@mail.example.org";
        var complainer = $"angry{Guid.NewGuid():N}@mail.example.org";

        using var first = await PostAsync(host, sns.Notification(SnsTestSigner.Bounce("Transient", transient)));
        using var second = await PostAsync(host, sns.Notification(SnsTestSigner.Complaint(complainer)));

        var blacklist = host.Services.GetRequiredService<BlacklistStore>();
        Assert.True(first.IsSuccessStatusCode && second.IsSuccessStatusCode);
        Assert.False(await blacklist.IsBlacklistedAsync(transient));
        Assert.Equal("complaint", (await blacklist.GetAsync(complainer))!.Reason);
        Assert.Equal(1, sns.CertificateDownloads); // cached
    }

    [Fact]
    public async Task Post_ForgedMessage_Is403AndChangesNothing()
    {
        await using var sns = await SnsTestSigner.StartAsync();
        await using var host = await DevHostServer.StartAsync(emulators, sns.Trust);
        var address = $"forged{Guid.NewGuid():N}@mail.example.org";
        var signed = JsonNode.Parse(sns.Notification(SnsTestSigner.Bounce("Permanent", "someone@mail.example.org")))!;
        signed["Message"] = System.Text.Json.JsonSerializer.Serialize(SnsTestSigner.Bounce("Permanent", address));

        using var response = await PostAsync(host, signed.ToJsonString());

        var problem = await response.AssertProblemAsync(403);
        Assert.Contains("signature is invalid", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("key", problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.False(await host.Services.GetRequiredService<BlacklistStore>().IsBlacklistedAsync(address));
    }

    [Fact]
    public async Task Post_ReplayOfAnOldSignedBounce_Is403AndChangesNothing()
    {
        await using var sns = await SnsTestSigner.StartAsync();
        await using var host = await DevHostServer.StartAsync(emulators, sns.Trust);
        var address = $"replay{Guid.NewGuid():N}@mail.example.org";

        using var response = await PostAsync(host, sns.Notification(SnsTestSigner.Bounce("Permanent", address), timestamp: DateTimeOffset.UtcNow.AddHours(-2)));

        await response.AssertProblemAsync(403);
        Assert.False(await host.Services.GetRequiredService<BlacklistStore>().IsBlacklistedAsync(address));
    }

    [Fact]
    public async Task Post_CertificateFromAnUntrustedHost_Is403()
    {
        await using var sns = await SnsTestSigner.StartAsync();
        await using var host = await DevHostServer.StartAsync(emulators); // trusts only .amazonaws.com over https

        using var response = await PostAsync(host, sns.Notification(SnsTestSigner.Bounce("Permanent", "x@mail.example.org")));

        await response.AssertProblemAsync(403);
        Assert.Equal(0, sns.CertificateDownloads);
    }

    [Fact]
    public async Task Post_UnsignedOrNotJson_Is400()
    {
        await using var host = await DevHostServer.StartAsync(emulators);

        using var unsigned = await PostAsync(host, """{"Type":"Notification","MessageId":"1","TopicArn":"t","Message":"{}","Timestamp":"2026-01-01T00:00:00Z"}""");
        using var garbage = await PostAsync(host, "not json");

        await unsigned.AssertProblemAsync(400, "Signature", "SigningCertURL", "SignatureVersion");
        await garbage.AssertProblemAsync(400, "body");
    }

    [Fact]
    public async Task Post_SubscriptionConfirmation_VisitsTheSubscribeUrlOnlyOnATrustedHost()
    {
        await using var sns = await SnsTestSigner.StartAsync();
        await using var host = await DevHostServer.StartAsync(emulators, sns.Trust);

        using var confirmed = await PostAsync(host, sns.SubscriptionConfirmation());
        using var elsewhere = await PostAsync(host, sns.SubscriptionConfirmation("https://attacker.example.com/confirm"));

        Assert.True(confirmed.IsSuccessStatusCode);
        Assert.Equal(1, sns.Confirmations);
        await elsewhere.AssertProblemAsync(403);
    }

    private static Task<HttpResponseMessage> PostAsync(DevHostServer host, string body) =>
        host.Client.PostAsync("/api/ses/notifications", new StringContent(body, Encoding.UTF8, "text/plain"));
}
