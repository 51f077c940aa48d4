using Comms.Contacts;
using Comms.Delivery;
using Comms.EmailLog;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Delivery.DeliveryTestServices;

namespace Comms.Tests.Delivery;

[Collection(EmulatorCollection.Name)]
public sealed class SesDeliveryTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task SendAsync_VerifiedLibrary_SesStoresFromToSubjectHtmlAndText()
    {
        await using var services = Create(emulators, s => s["Comms:Email:Provider"] = "Ses");
        var lib = Unique("ses");
        await CreateLibraryAsync(services, lib);
        var loan = Unique("loan");
        var notice = Notice(lib, loan, new NoticeRecipient("Ann Reader", "Ann@Pupils.Example.org", ContactRole.Patron, "p-1"));

        var result = await services.GetRequiredService<NoticeSender>().SendAsync(notice);

        var stored = Assert.Single(await SesStore.EmailsAsync(emulators.SesEndpoint, e => e.Subject == $"Overdue: {loan}"));
        Assert.Equal(EmailStatus.Sent, Assert.Single(result.Recipients).Status);
        Assert.Equal(stored.MessageId, result.Recipients[0].ProviderMessageId);
        Assert.Contains($"desk@{lib}.example.org", stored.From, StringComparison.Ordinal);
        Assert.Contains($"Library {lib}", stored.From, StringComparison.Ordinal);
        Assert.Empty(stored.ReplyTo);
        Assert.Equal(["Ann Reader <Ann@pupils.example.org>"], stored.To);
        // The rendered content, then the engine's footer with the reader's preferences link (docs/preferences.md).
        Assert.StartsWith($"<p>Your loan <b>{loan}</b> is overdue.</p><p style=\"font-size:small\"><a href=\"https://comms.test/api/preferences/manage?token=", stored.Html, StringComparison.Ordinal);
        Assert.StartsWith($"Your loan {loan} is overdue.\n\n--\nYour email preferences: https://comms.test/api/preferences/manage?token=", stored.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_UnverifiedLibraryWithBcc_OneMessageFromPlatformSenderWithReplyToAndEveryoneInBcc()
    {
        await using var services = Create(emulators, s => s["Comms:Email:Provider"] = "Ses");
        var lib = Unique("bcc");
        await CreateLibraryAsync(services, lib, l => l with { FromAddressVerified = false, BccMultipleRecipients = true });
        var loan = Unique("loan");
        var notice = Notice(lib, loan,
            new NoticeRecipient("Ann", "ann@pupils.example.org", ContactRole.Patron),
            new NoticeRecipient("Ann's parent", "parent@home.example.org", ContactRole.Parent));

        var result = await services.GetRequiredService<NoticeSender>().SendAsync(notice);

        var stored = Assert.Single(await SesStore.EmailsAsync(emulators.SesEndpoint, e => e.Subject == $"Overdue: {loan}"));
        Assert.Equal(2, result.Count(EmailStatus.Sent));
        Assert.Contains("notices@comms.test", stored.From, StringComparison.Ordinal);
        Assert.Contains($"desk@{lib}.example.org", Assert.Single(stored.ReplyTo), StringComparison.Ordinal);
        Assert.Equal(2, stored.Bcc.Length);
        Assert.Contains($"desk@{lib}.example.org", Assert.Single(stored.To), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_SubjectWithLineBreaks_IsSentOnOneLine()
    {
        await using var services = Create(emulators, s => s["Comms:Email:Provider"] = "Ses");
        var lib = Unique("crlf");
        await CreateLibraryAsync(services, lib);
        var loan = Unique("loan");
        var notice = Notice(lib, loan, new NoticeRecipient("Ann", "ann@pupils.example.org")) is var n
            ? n with { Content = n.Content with { Subject = $"Overdue:\r\nBcc: evil@example.com\n{loan}" } }
            : null!;

        await services.GetRequiredService<NoticeSender>().SendAsync(notice);

        var stored = Assert.Single(await SesStore.EmailsAsync(emulators.SesEndpoint, e => e.Subject.EndsWith(loan, StringComparison.Ordinal)));
        Assert.Equal($"Overdue: Bcc: evil@example.com {loan}", stored.Subject);
        Assert.Empty(stored.Bcc);
    }
}
