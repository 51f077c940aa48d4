using Comms.Contacts;
using Comms.Delivery;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static Comms.Tests.Delivery.DeliveryTestServices;

namespace Comms.Tests.Delivery;

/// <summary>
/// SES takes From/To/Reply-To/Bcc as JSON strings, not headers: a folded value (a line break and a tab, as
/// MimeKit writes long encoded names in a header) is refused by SES. Long non-ASCII names must arrive on one
/// line and decode back to the same name.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class SesAddressWireTests(EmulatorFixture emulators)
{
    private const string LibraryName = "Bücher & Söhne 株式会社 — Bibliothèque municipale de Saint-Rémy-de-Provence";
    private const string PatronName = "Zoë Ñúñez 日本 de la Cruz-Øvergård, élève de 5ᵉ année (classe de Mᵐᵉ Kowalczyk)";
    private const string ParentName = "Ñúñez-Kowalczyk Zoë et Frédéric (parents d'élève), 東京都 渋谷区";

    [Fact]
    public async Task SendAsync_LongNonAsciiNames_EveryAddressOnOneLineAndDecodesToTheName()
    {
        // Arrange: unverified library, so From is the platform sender, Reply-To the library; BCC for two recipients.
        await using var services = Create(emulators, s => s["Comms:Email:Provider"] = "Ses");
        var lib = Unique("fold");
        await CreateLibraryAsync(services, lib, l => l with { Name = LibraryName, FromAddressVerified = false, BccMultipleRecipients = true });
        var loan = Unique("loan");
        var notice = Notice(lib, loan,
            new NoticeRecipient(PatronName, "zoe@pupils.example.org", ContactRole.Patron),
            new NoticeRecipient(ParentName, "parents@home.example.org", ContactRole.Parent));

        // Act
        await services.GetRequiredService<NoticeSender>().SendAsync(notice);

        // Assert
        var stored = Assert.Single(await SesStore.EmailsAsync(emulators.SesEndpoint, e => e.Subject == $"Overdue: {loan}"));
        string[] values = [stored.From, .. stored.ReplyTo, .. stored.To, .. stored.Bcc];
        Assert.All(values, value => Assert.DoesNotMatch("[\r\n\t]", value));
        Assert.Equal(LibraryName, Name(stored.From));
        Assert.Equal(LibraryName, Name(Assert.Single(stored.ReplyTo)));
        Assert.Equal(new[] { ParentName, PatronName }.Order(StringComparer.Ordinal), stored.Bcc.Select(Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Format_NameLongerThanALine_IsOneLineAndRoundTrips()
    {
        // Act
        var text = MailboxText.Format(new Mailbox("orders@books.example.com", LibraryName + " " + PatronName));

        // Assert
        Assert.DoesNotMatch("[\r\n\t]", text);
        Assert.EndsWith("<orders@books.example.com>", text, StringComparison.Ordinal);
        Assert.Equal(LibraryName + " " + PatronName, Name(text));
    }

    private static string Name(string mailbox) => ((MailboxAddress)InternetAddress.Parse(mailbox)).Name ?? string.Empty;
}
