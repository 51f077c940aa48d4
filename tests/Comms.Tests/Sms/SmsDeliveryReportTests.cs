using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Comms.Delivery;
using Comms.EmailLog;
using Comms.Sms;
using Comms.Tests.Infrastructure;
using Comms.Tests.Reservations;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Sms;

/// <summary>
/// ACS SMS delivery reports reach the log: a recall texted to a patron without email (real durable engine, ACS SMS client
/// to the fake service), then the report Event Grid writes into the SMS queue on Azurite, read by the queue function.
/// Also the log's channel filter over HTTP on the same rows.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class SmsDeliveryReportTests(EmulatorFixture emulators)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task DeliveredReport_TheSmsRowBecomesDelivered()
    {
        var (host, client, libraryId, sent) = await TextedRecallAsync();

        await ReportAsync(host, sent, "Delivered", "No error.");
        var log = await EndToEndHost.EventuallyAsync(() => host.LogAsync(libraryId),
            l => l.Any(e => e.Channel == NoticeChannel.Sms && e.Status == EmailStatus.Delivered), Wait, "the Delivered SMS row");

        var row = Assert.Single(log, e => e.Channel == NoticeChannel.Sms);
        Assert.Equal((sent.Id, "ACS SMS delivery report: Delivered"), (row.Id, row.Reason));
        client.Dispose();
    }

    [Fact]
    public async Task FailedReport_TheSmsRowFailedWithTheReportsStatusAndDetails()
    {
        var (host, client, libraryId, sent) = await TextedRecallAsync();

        await ReportAsync(host, sent, "Failed", "The destination handset is unreachable.");
        var log = await EndToEndHost.EventuallyAsync(() => host.LogAsync(libraryId),
            l => l.Any(e => e.Channel == NoticeChannel.Sms && e.Status == EmailStatus.Failed), Wait, "the Failed SMS row");

        var row = Assert.Single(log, e => e.Channel == NoticeChannel.Sms);
        Assert.Equal("ACS SMS delivery report: Failed - The destination handset is unreachable.", row.Reason);
        client.Dispose();
    }

    [Fact]
    public async Task OneMessage_ReportAndStopReplyTogether_EachRoutedByItsType()
    {
        var (host, client, libraryId, sent) = await TextedRecallAsync();

        // An array of events in one queue message (Event Grid schema allows it): the report and a STOP from the same number.
        var events = new object[]
        {
            Report(sent, "Delivered", "No error."),
            Event(SmsInboundHandler.EventType, sent.Address!, new { messageId = "Incoming_" + Guid.NewGuid().ToString("N"), from = sent.Address, to = "+18005550100", message = "STOP", receivedTimestamp = DateTimeOffset.UtcNow }),
        };
        await SendAsync(host, events);
        var numbers = host.App.Services.GetRequiredService<SmsNumberStore>();
        await EndToEndHost.EventuallyAsync(() => numbers.IsOptedOutAsync(sent.Address!, libraryId), stopped => stopped, Wait, "the STOP");
        var log = await EndToEndHost.EventuallyAsync(() => host.LogAsync(libraryId),
            l => l.Any(e => e.Channel == NoticeChannel.Sms && e.Status == EmailStatus.Delivered), Wait, "the Delivered SMS row");

        Assert.Single(log, e => e.Channel == NoticeChannel.Sms);
        client.Dispose();
    }

    [Fact]
    public async Task EmailLog_ChannelFilter_OnlyThatChannelsRowsAndAnUnknownChannelIs400()
    {
        var (_, client, libraryId, _) = await TextedRecallAsync();

        var sms = await ChannelsAsync(client, libraryId, "sms");
        var email = await ChannelsAsync(client, libraryId, "email");
        using var fax = await client.GetAsync($"/api/libraries/{libraryId}/email-log?channel=fax");

        Assert.Equal(["sms"], sms);
        Assert.NotEmpty(email);
        Assert.All(email, c => Assert.Equal("email", c));
        await fax.AssertProblemAsync(400, "channel");
        client.Dispose();
    }

    private static async Task<List<string>> ChannelsAsync(HttpClient client, string libraryId, string channel)
    {
        using var response = await client.GetAsync($"/api/libraries/{libraryId}/email-log?channel={channel}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]!.AsArray();
        return [.. items.Select(i => i!["channel"]!.GetValue<string>())];
    }

    /// <summary>A recall for a patron with a number and no email: one SMS, its Sent row carrying ACS's message id.</summary>
    private async Task<(SmsHost Host, HttpClient Client, string LibraryId, EmailLogEntry Sent)> TextedRecallAsync()
    {
        var host = await SmsHost.GetAsync(emulators);
        var libraryId = "smsr" + Guid.NewGuid().ToString("N")[..10];
        var phone = SmsHost.NewNumber();
        var library = Samples.Library(libraryId) with { TimeZone = "UTC", SmsQuietHours = new QuietHours { Start = TimeOnly.MinValue, End = TimeOnly.MinValue } };
        var client = await host.CreateLibraryAsync(library, SmsHost.PatronWithoutEmail("p1", phone));
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new { loanId = "l1", patronId = "p1", title = "Emma", dueAt = DateTimeOffset.UtcNow.AddDays(30) }, HttpStatusCode.Created);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/recall", new { reason = "Requested by another reader" }, HttpStatusCode.Accepted);
        var log = await EndToEndHost.EventuallyAsync(() => host.LogAsync(libraryId),
            l => l.Any(e => e.Channel == NoticeChannel.Sms && e.Status == EmailStatus.Sent), Wait, "the Sent SMS row");
        var sent = Assert.Single(log, e => e.Channel == NoticeChannel.Sms);
        Assert.False(string.IsNullOrEmpty(sent.ProviderMessageId));
        return (host, client, libraryId, sent);
    }

    /// <summary>
    /// One SMSDeliveryReportReceived event as Event Grid writes it into a storage queue: one event per message, Event Grid
    /// schema, base64 (the fields of ACS's AcsSmsDeliveryReportReceivedEventData).
    /// </summary>
    private static Task ReportAsync(SmsHost host, EmailLogEntry sent, string status, string details) => SendAsync(host, Report(sent, status, details));

    private static object Report(EmailLogEntry sent, string status, string details)
    {
        var now = DateTimeOffset.UtcNow;
        return Event(SmsDeliveryReports.EventType, sent.Address!, new
        {
            messageId = sent.ProviderMessageId,
            from = "+18005550100",
            to = sent.Address,
            deliveryStatus = status,
            deliveryStatusDetails = details,
            deliveryAttempts = new[] { new { timestamp = now.AddSeconds(-5), segmentsSucceeded = status == "Delivered" ? 1 : 0, segmentsFailed = status == "Delivered" ? 0 : 1 } },
            receivedTimestamp = now,
            tag = "recall",
        });
    }

    private static object Event(string type, string number, object data) => new
    {
        id = Guid.NewGuid().ToString(),
        topic = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-comms/providers/Microsoft.Communication/communicationServices/acs-comms",
        subject = $"/phonenumber/{number.TrimStart('+')}",
        eventType = type,
        eventTime = DateTimeOffset.UtcNow,
        dataVersion = "1.0",
        metadataVersion = "1",
        data,
    };

    private static async Task SendAsync(SmsHost host, object message)
    {
        var queue = new QueueClient(host.Settings["Comms:Storage:ConnectionString"], host.Settings["Comms:Sms:InboundQueueName"], new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(JsonSerializer.Serialize(message));
    }
}
