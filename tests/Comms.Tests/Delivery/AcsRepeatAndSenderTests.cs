using Comms.Delivery;
using Comms.Delivery.Providers;
using Comms.EmailLog;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Comms.Tests.Delivery.DeliveryTestServices;

namespace Comms.Tests.Delivery;

/// <summary>
/// ACS wire rules the emulators never showed: a repeated Operation-Id is answered 409 by the service and is
/// the same operation (its outcome, not a failure and not a second email); display names go on one line;
/// ACS paired with SES sends from its own sender.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class AcsRepeatAndSenderTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task SendAsync_RepeatedOperationIdAnswered409_IsTheEarlierOperationsSuccess()
    {
        // Arrange
        await using var acs = await AcsTestServer.StartAsync();
        var provider = Provider(acs);
        var email = Email("repeat-succeeded");
        var first = await provider.SendAsync(email);

        // Act: a re-send after a crash between the service's accept and the ledger write.
        var repeat = await provider.SendAsync(email);

        // Assert
        Assert.Equal(ProviderOutcome.Accepted, first.Outcome);
        Assert.Equal(ProviderOutcome.Accepted, repeat.Outcome);
        Assert.Equal(first.ProviderMessageId, repeat.ProviderMessageId);
        Assert.Equal(1, acs.Conflicts);
        Assert.Single(acs.Operations);
        Assert.Empty(acs.SignatureFailures);
    }

    [Fact]
    public async Task SendAsync_RepeatOfAFailedOperation_IsThatOperationsPermanentFailure()
    {
        // Arrange
        await using var acs = await AcsTestServer.StartAsync();
        var provider = Provider(acs, pollToTerminal: false);
        var email = Email("repeat-failed");
        await provider.SendAsync(email);
        acs.FailingOperations[AcsEmailProvider.OperationIdFor(email.MessageKey).ToString()] = true;
        await PollOnceAsync(provider, email); // the service moves the operation on to Failed

        // Act
        var repeat = await provider.SendAsync(email);

        // Assert
        Assert.Equal(ProviderOutcome.Permanent, repeat.Outcome);
        Assert.Contains("EmailDroppedAllRecipientsSuppressed", repeat.Reason, StringComparison.Ordinal);
        Assert.Equal(2, acs.Conflicts);
    }

    [Fact]
    public async Task SendAsync_RepeatThroughTheSender_LogsSentOnceAndSendsOneOperation()
    {
        // Arrange: the ledger's first record is lost (as after a crash), so the notice is sent again.
        await using var acs = await AcsTestServer.StartAsync();
        await using var services = Create(emulators, s =>
        {
            s["Comms:Email:Provider"] = "Acs";
            s["Comms:Email:Acs:ConnectionString"] = acs.ConnectionString;
            s["Comms:Email:Acs:MessagesPerSecond"] = "0";
        }, s => Wrap(s, ProviderNames.Acs, p => new ScriptedProvider(p)));
        var lib = Unique("acs409");
        await CreateLibraryAsync(services, lib);
        var notice = Notice(lib, "loan-409", new NoticeRecipient("Ann", "ann@example.org"));
        var sender = services.GetRequiredService<NoticeSender>();
        var scripted = (ScriptedProvider)services.GetRequiredService<EmailProviders>().Get(ProviderNames.Acs);
        scripted.CrashAfterAccept = _ => true;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => sender.SendAsync(notice));
        scripted.CrashAfterAccept = _ => false;

        // Act
        var retry = await sender.SendAsync(notice);

        // Assert
        Assert.Equal(EmailStatus.Sent, Assert.Single(retry.Recipients).Status);
        Assert.Equal(1, acs.Conflicts);
        Assert.Single(acs.Operations);
        var log = await ReadWholeLogAsync(services.GetRequiredService<EmailLogStore>(), lib);
        Assert.DoesNotContain(log, row => row.Status == EmailStatus.Failed);
    }

    [Fact]
    public async Task SendAsync_LongNamesWithLineBreaks_DisplayNamesOnOneLineAndTrackingOff()
    {
        // Arrange
        await using var acs = await AcsTestServer.StartAsync();
        var provider = Provider(acs);
        var email = Email("names") with
        {
            From = new Mailbox("desk@books.example.com", "Bücher & Söhne 株式会社 Bibliothèque municipale de Saint-Rémy-de-Provence"),
            To = [new Mailbox("zoe@example.org", "Zoë Ñúñez 日本\r\nBcc: evil@example.com")],
        };

        // Act
        await provider.SendAsync(email);

        // Assert
        var body = Assert.Single(acs.Operations).Value;
        var to = body.GetProperty("recipients").GetProperty("to")[0].GetProperty("displayName").GetString();
        Assert.Equal("Zoë Ñúñez 日本 Bcc: evil@example.com", to);
        Assert.True(body.GetProperty("userEngagementTrackingDisabled").GetBoolean());
        Assert.Equal("desk@books.example.com", body.GetProperty("senderAddress").GetString());
    }

    [Fact]
    public async Task SendAsync_AcsSenderSetAndMailFromThePlatformSender_SendsFromTheAcsSender()
    {
        // Arrange: SES holds the platform sender; ACS can only send from its own domain.
        await using var acs = await AcsTestServer.StartAsync();
        var provider = Provider(acs, acsSender: "DoNotReply@managed.azurecomm.net");
        var platform = Email("platform") with { From = new Mailbox("notices@comms.test", "North Library") };
        var library = Email("library") with { From = new Mailbox("desk@north.example.org", "North Library") };

        // Act
        await provider.SendAsync(platform);
        await provider.SendAsync(library);

        // Assert: only the platform sender is replaced; a library's own verified address is kept.
        var senders = acs.Operations.Values.Select(body => body.GetProperty("senderAddress").GetString()).Order().ToList();
        Assert.Equal(["desk@north.example.org", "DoNotReply@managed.azurecomm.net"], senders);
    }

    private static AcsEmailProvider Provider(AcsTestServer acs, bool pollToTerminal = true, string? acsSender = null) =>
        new(Options.Create(new EmailOptions
        {
            Provider = ProviderNames.Acs,
            PlatformSender = "notices@comms.test",
            Acs = new AcsOptions { ConnectionString = acs.ConnectionString, PollToTerminal = pollToTerminal, Sender = acsSender },
        }), TimeProvider.System);

    private static async Task PollOnceAsync(AcsEmailProvider provider, OutgoingEmail email)
    {
        // A repeat reads the operation's status: the first read says Running, the next the scripted outcome.
        var status = await provider.SendAsync(email);
        Assert.Equal(ProviderOutcome.Accepted, status.Outcome);
    }

    private static OutgoingEmail Email(string key) => new()
    {
        MessageKey = $"{key}-{Guid.NewGuid():N}",
        From = new Mailbox("notices@comms.test", "Library"),
        To = [new Mailbox("ann@example.org", "Ann")],
        Subject = "Overdue",
        Html = "<p>Overdue</p>",
        Text = "Overdue",
    };
}
