using System.Net;
using System.Text.Json;
using Comms.Common;
using Comms.Delivery;
using Comms.EmailLog;
using Comms.Sms;
using Comms.Sms.Providers;
using Comms.Tests.Infrastructure;
using Comms.Tests.Reservations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Comms.Tests.Sms;

/// <summary>
/// The dev host's own SMS provider, the pickup folder: an immediate notice (declared lost, mandatory) for a patron with
/// a number and no email goes through the outbox, finds no email, and leaves one .sms.json file, even when asked twice.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class SmsPickupFlowTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task LostEvent_PatronWithoutEmail_OneTextInThePickupFolderAndTheNoticeSent()
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = "smsp" + Guid.NewGuid().ToString("N")[..10];
        var phone = SmsHost.NewNumber();
        var library = Samples.Library(libraryId) with { TimeZone = "UTC", SmsQuietHours = new QuietHours { Start = TimeOnly.MinValue, End = TimeOnly.MinValue } };
        using var client = await host.CreateLibraryAsync(library, SmsHost.PatronWithoutEmail("p1", phone));
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans",
            new { loanId = "l1", patronId = "p1", title = "Germinal", dueAt = DateTimeOffset.UtcNow.AddDays(30) }, HttpStatusCode.Created);

        var (lost, _) = await QueuedNotices.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/lost", new { replacementCost = 12.5m, lostFee = 3m }, HttpStatusCode.Accepted);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/lost", new { replacementCost = 12.5m, lostFee = 3m }, HttpStatusCode.Accepted);
        var log = await host.LogAsync(libraryId);

        var folder = host.App.Services.GetRequiredService<IOptions<SmsOptions>>().Value.Pickup.Directory;
        var texts = Directory.GetFiles(folder, "*.sms.json")
            .Select(f => JsonSerializer.Deserialize<PickedUpSms>(File.ReadAllText(f), CommsJson.Options)!)
            .Where(s => s.To == phone)
            .ToList();
        var text = Assert.Single(texts);
        Assert.Equal(SmsEncoding.Gsm7, text.Encoding);
        Assert.Equal("declared-lost", text.Tag);
        Assert.Contains("recorded as lost", text.Text, StringComparison.Ordinal);
        Assert.Contains("£15.50", text.Text, StringComparison.Ordinal);
        var lostRows = log.Where(e => e.Scenario == "declared-lost").ToList();
        Assert.Equal(EmailStatus.NoContact, Assert.Single(lostRows, e => e.Channel == NoticeChannel.Email).Status);
        var sms = Assert.Single(lostRows, e => e.Channel == NoticeChannel.Sms);
        Assert.Equal((EmailStatus.Sent, "PickupSms", phone), (sms.Status, sms.Provider, sms.Address));
        var href = QueuedNotices.AssertQueued(lost.GetProperty("notice"), libraryId);
        Assert.Equal("sent", await QueuedNotices.StatusAsync(client, href));

        // The library system learns of the move from the notice's status (and its status events): one recipient per channel.
        var status = JsonDocument.Parse(await client.GetStringAsync(href)).RootElement;
        var recipients = status.GetProperty("recipients").EnumerateArray().Select(r => (r.GetProperty("channel").GetString(), r.GetProperty("status").GetString())).ToList();
        Assert.Contains(("email", "noContact"), recipients);
        Assert.Contains(("sms", "sent"), recipients);
    }

    [Fact]
    public async Task LostEvent_LibrarySavedItsOwnText_ThatTextIsSentAndTheLogNamesItsVersion()
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = "smst" + Guid.NewGuid().ToString("N")[..10];
        var phone = SmsHost.NewNumber();
        var library = Samples.Library(libraryId) with { TimeZone = "UTC", SmsQuietHours = new QuietHours { Start = TimeOnly.MinValue, End = TimeOnly.MinValue } };
        using var client = await host.CreateLibraryAsync(library, SmsHost.PatronWithoutEmail("p1", phone));
        using (var saved = await client.PutAsync($"/api/libraries/{libraryId}/sms/texts/declared-lost", JsonBody(
            new { text = "{{library.name}}: {{#charges.lines}}{{title}} {{/charges.lines}}is lost, {{charges.total}} to pay. Reply STOP to opt out." })))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }

        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans",
            new { loanId = "l1", patronId = "p1", title = "Germinal", dueAt = DateTimeOffset.UtcNow.AddDays(30) }, HttpStatusCode.Created);
        await QueuedNotices.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/lost", new { replacementCost = 12.5m, lostFee = 3m }, HttpStatusCode.Accepted);
        var log = await host.LogAsync(libraryId);

        var text = Assert.Single(TextsTo(host, phone));
        Assert.Equal($"Library {libraryId}: Germinal is lost, £15.50 to pay. Reply STOP to opt out.", text.Text);
        var sms = Assert.Single(log, e => e.Channel == NoticeChannel.Sms);
        Assert.Equal(("sms:declared-lost:en-GB", 1), (sms.TemplateId, sms.TemplateVersion));
    }

    private static StringContent JsonBody(object value) =>
        new(JsonSerializer.Serialize(value, CommsJson.Options), System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task LostEvent_EmailBouncesAfterItWasTaken_TheSameNoticeTextedOnce()
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = "smsb" + Guid.NewGuid().ToString("N")[..10];
        var phone = SmsHost.NewNumber();
        var library = Samples.Library(libraryId) with { TimeZone = "UTC", SmsQuietHours = new QuietHours { Start = TimeOnly.MinValue, End = TimeOnly.MinValue } };
        var patron = Samples.Patron("p1") with { Phone = phone, Contacts = [new Comms.Contacts.Contact { Role = Comms.Contacts.ContactRole.Patron, Name = "Patron p1", Email = "p1@pupils.example.org" }] };
        using var client = await host.CreateLibraryAsync(library, patron);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans",
            new { loanId = "l1", patronId = "p1", title = "Germinal", dueAt = DateTimeOffset.UtcNow.AddDays(30) }, HttpStatusCode.Created);
        var (lost, _) = await QueuedNotices.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/lost", new { replacementCost = 12.5m, lostFee = 3m }, HttpStatusCode.Accepted);
        var sent = Assert.Single(await host.LogAsync(libraryId), e => e.Scenario == "declared-lost" && e.Status == EmailStatus.Sent);
        Assert.Empty(TextsTo(host, phone));

        // What the delivery report handler does with an ACS "Bounced" report, twice (reports may repeat).
        var log = host.App.Services.GetRequiredService<EmailLogStore>();
        await log.UpdateByMessageIdAsync(sent.ProviderMessageId!, sent.Address, EmailStatus.Bounced, "ACS delivery report: Bounced", CancellationToken.None);
        await log.UpdateByMessageIdAsync(sent.ProviderMessageId!, sent.Address, EmailStatus.Bounced, "ACS delivery report: Bounced", CancellationToken.None);
        var rows = await EndToEndHost.EventuallyAsync(() => host.LogAsync(libraryId), l => l.Any(e => e.Channel == NoticeChannel.Sms), TimeSpan.FromSeconds(60), "the SMS row");

        var text = Assert.Single(TextsTo(host, phone));
        Assert.Contains("recorded as lost", text.Text, StringComparison.Ordinal);
        var sms = Assert.Single(rows, e => e.Channel == NoticeChannel.Sms);
        Assert.Equal(EmailStatus.Sent, sms.Status);
        Assert.NotEqual(sent.OutboxNoticeId, sms.OutboxNoticeId);
        Assert.Equal("bounced", await QueuedNotices.StatusAsync(client, QueuedNotices.AssertQueued(lost.GetProperty("notice"), libraryId)));
    }

    private static List<PickedUpSms> TextsTo(EndToEndHost host, string phone)
    {
        var folder = host.App.Services.GetRequiredService<IOptions<SmsOptions>>().Value.Pickup.Directory;
        return !Directory.Exists(folder) ? [] : [.. Directory.GetFiles(folder, "*.sms.json")
            .Select(f => JsonSerializer.Deserialize<PickedUpSms>(File.ReadAllText(f), CommsJson.Options)!)
            .Where(s => s.To == phone)];
    }
}
