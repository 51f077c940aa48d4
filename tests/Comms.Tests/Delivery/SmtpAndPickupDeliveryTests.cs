using Comms.Delivery;
using Comms.EmailLog;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using static Comms.Tests.Delivery.DeliveryTestServices;

namespace Comms.Tests.Delivery;

[Collection(EmulatorCollection.Name)]
public sealed class SmtpAndPickupDeliveryTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task SendAsync_ThroughSmtpSink_DeliversMultipartMessageAndRejectedRecipientIsPermanent()
    {
        var port = NodeProcess.FreePort();
        var folder = Path.Combine(Path.GetTempPath(), "comms-smtp", Guid.NewGuid().ToString("N"));

        // NodeProcess resolves scripts under node_modules; the sink lives beside these tests.
        await using var sink = NodeProcess.Start("../tests/Comms.Tests/Delivery/smtp-sink.js", port.ToString(System.Globalization.CultureInfo.InvariantCulture), folder);
        await sink.WaitForPortAsync(port, TimeSpan.FromSeconds(20));
        await using var services = Create(emulators, s =>
        {
            s["Comms:Email:Provider"] = "Smtp";
            s["Comms:Email:Smtp:Host"] = "127.0.0.1";
            s["Comms:Email:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            s["Comms:Email:Smtp:TlsMode"] = "None";
            s["Comms:Email:Smtp:MessagesPerSecond"] = "20";
        });
        var lib = Unique("smtp");
        await CreateLibraryAsync(services, lib);

        var result = await services.GetRequiredService<NoticeSender>().SendAsync(Notice(lib, "loan-1",
            new NoticeRecipient("Ann", "ann@example.org"),
            new NoticeRecipient("Gone", "rejected@example.org")));

        Assert.Equal([EmailStatus.Sent, EmailStatus.Failed], result.Recipients.Select(r => r.Status));
        Assert.StartsWith("Permanent: SMTP 550", result.Recipients[1].Reason, StringComparison.Ordinal);
        var file = Assert.Single(Directory.GetFiles(folder, "*.eml"));
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal("Overdue: loan-1", message.Subject);
        Assert.Equal("ann@example.org", message.To.Mailboxes.Single().Address);
        Assert.Equal($"desk@{lib}.example.org", message.From.Mailboxes.Single().Address);
        Assert.StartsWith("Your loan loan-1 is overdue.\n\n--\nYour email preferences: https://comms.test/", message.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("<b>loan-1</b>", message.HtmlBody!, StringComparison.Ordinal);
        Assert.Equal($"{result.Recipients[0].NoticeId}@comms.notices", message.MessageId);
    }

    [Fact]
    public async Task SendAsync_PickupFolder_WritesOneEmlPerNoticeAndARepeatOverwrites()
    {
        await using var services = Create(emulators);
        var lib = Unique("pick");
        await CreateLibraryAsync(services, lib, l => l with { FromAddressVerified = false });
        var provider = services.GetRequiredService<EmailProviders>().Get(ProviderNames.Pickup);
        var email = new OutgoingEmail
        {
            MessageKey = "abc123",
            From = new Mailbox("notices@comms.test", "Library"),
            ReplyTo = new Mailbox("desk@lib.example.org"),
            To = [new Mailbox("ann@example.org", "Ann")],
            Subject = "Hello",
            Html = "<p>Hi</p>",
            Text = "Hi",
        };

        await provider.SendAsync(email);
        await provider.SendAsync(email with { Subject = "Hello again" });

        var directory = services.GetRequiredService<IOptions<EmailOptions>>().Value.Pickup.Directory;
        var file = Assert.Single(Directory.GetFiles(directory));
        Assert.Equal("abc123.eml", Path.GetFileName(file));
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal("Hello again", message.Subject);
        Assert.Equal("desk@lib.example.org", message.ReplyTo.Mailboxes.Single().Address);
        Assert.Equal("Hi", message.TextBody!.Trim());
        Assert.Equal("<p>Hi</p>", message.HtmlBody!.Trim());
    }
}
