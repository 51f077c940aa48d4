using System.Net;
using System.Text.Json;
using Azure.Storage.Queues;
using Comms.Delivery;
using Comms.EmailLog;
using Comms.Sms;
using Comms.Tests.Infrastructure;
using Comms.Tests.Reservations;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Sms;

/// <summary>
/// The SMS step of the chain end to end: a recall (mandatory, so email then SMS by default) for a patron who has a mobile
/// number and no email, through the real durable engine, the dispatcher, the ledger and the ACS SMS client to the fake
/// service, which checks every request's signature and body.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class SmsFallbackFlowTests(EmulatorFixture emulators)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    /// <summary>No quiet hours (start equals end), so the text goes whenever the test runs.</summary>
    private static Comms.Libraries.Library Library(string id) => Samples.Library(id) with { TimeZone = "UTC", SmsQuietHours = new QuietHours { Start = TimeOnly.MinValue, End = TimeOnly.MinValue } };

    private static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Recall_PatronWithoutEmail_TextedOnceEvenWhenTheFirstAnswerIsLost()
    {
        var host = await SmsHost.GetAsync(emulators);
        var libraryId = NewId("sms");
        var phone = SmsHost.NewNumber();
        using var client = await host.CreateLibraryAsync(Library(libraryId), SmsHost.PatronWithoutEmail("p1", phone));
        host.Acs.LoseAnswerTo[phone] = true;

        await RecallAsync(client, libraryId, "loan-1", "Middlemarch");
        var log = await EventuallyAsync(() => host.LogAsync(libraryId), l => l.Any(e => e.Channel == NoticeChannel.Sms && e.Status == EmailStatus.Sent), "the SMS's Sent row");

        // The service took the first request and its answer was lost; the activity's retry sent the same request again
        // (same repeatability id and first-sent time), which the service did not send twice.
        var requests = host.Acs.RequestsTo(phone);
        Assert.Equal(2, requests.Count);
        Assert.Single(requests.Select(r => (r.RepeatabilityRequestId, r.RepeatabilityFirstSent)).Distinct());
        var sms = Assert.Single(host.Acs.SentTo(phone));
        Assert.Equal("+18005550100", sms.From);
        Assert.Contains("Middlemarch", sms.Message, StringComparison.Ordinal);
        Assert.Contains("recalled", sms.Message, StringComparison.Ordinal);
        Assert.Equal("recall", sms.Tag);
        Assert.Empty(host.Acs.Rejections);

        // Every attempt in the log with its channel: email could not reach them, the SMS failed once and then went.
        Assert.All(log.Where(e => e.Channel == NoticeChannel.Email), e => Assert.Equal(EmailStatus.NoContact, e.Status));
        var texts = log.Where(e => e.Channel == NoticeChannel.Sms).Reverse().ToList();
        Assert.Equal([EmailStatus.Failed, EmailStatus.Sent], texts.Select(e => e.Status));
        Assert.All(texts, e => Assert.Equal(phone, e.Address));
        Assert.All(texts, e => Assert.Equal("AcsSms", e.Provider));
        Assert.Equal("Outgoing_" + sms.RepeatabilityRequestId, texts[^1].ProviderMessageId);
        Assert.Contains("Middlemarch", texts[^1].Preview, StringComparison.Ordinal);

        // The log API says so too.
        using var response = await client.GetAsync(new Uri($"/api/libraries/{libraryId}/email-log", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        var api = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(api.GetProperty("items").EnumerateArray(), i => i.GetProperty("channel").GetString() == "sms" && i.GetProperty("status").GetString() == "sent");
    }

    [Fact]
    public async Task StopReply_NoMoreTextsFromTheLibrary()
    {
        var host = await SmsHost.GetAsync(emulators);
        var libraryId = NewId("sms");
        var phone = SmsHost.NewNumber();
        using var client = await host.CreateLibraryAsync(Library(libraryId), SmsHost.PatronWithoutEmail("p1", phone));
        await RecallAsync(client, libraryId, "loan-1", "Emma");
        await EventuallyAsync(() => Task.FromResult(host.Acs.SentTo(phone)), s => s.Count == 1, "the first SMS");

        await ReplyAsync(host, phone, "  Stop ");
        var numbers = host.App.Services.GetRequiredService<SmsNumberStore>();
        await EventuallyAsync(() => numbers.IsOptedOutAsync(phone, libraryId), stopped => stopped, "the STOP to be applied");
        await RecallAsync(client, libraryId, "loan-2", "Persuasion");
        var log = await EventuallyAsync(() => host.LogAsync(libraryId), l => l.Any(e => e.Channel == NoticeChannel.Sms && e.Status == EmailStatus.Suppressed), "the suppressed SMS row");

        Assert.Single(host.Acs.SentTo(phone));
        Assert.Contains("STOP", log.First(e => e.Status == EmailStatus.Suppressed).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuietHours_TheSmsWaitsForTheirEndThroughTheOutbox()
    {
        var host = await SmsHost.GetAsync(emulators);
        var libraryId = NewId("sms");
        var phone = SmsHost.NewNumber();
        var now = DateTimeOffset.UtcNow;
        var end = now.AddSeconds(10);
        var library = Library(libraryId) with { SmsQuietHours = new QuietHours { Start = TimeOnly.FromDateTime(now.AddMinutes(-1).UtcDateTime), End = TimeOnly.FromDateTime(end.UtcDateTime) } };
        using var client = await host.CreateLibraryAsync(library, SmsHost.PatronWithoutEmail("p1", phone));

        await RecallAsync(client, libraryId, "loan-1", "Walden");
        var held = await EventuallyAsync(() => host.LogAsync(libraryId), l => l.Any(e => e.Channel == NoticeChannel.Sms), "the held SMS row");
        var skipped = Assert.Single(held, e => e.Channel == NoticeChannel.Sms);
        Assert.Equal(EmailStatus.Skipped, skipped.Status);
        Assert.Contains("Quiet hours", skipped.Reason, StringComparison.Ordinal);
        Assert.True(DateTimeOffset.UtcNow < end, "the test machine was too slow to see the quiet hours (rerun)");
        Assert.Empty(host.Acs.SentTo(phone));

        var sms = Assert.Single(await EventuallyAsync(() => Task.FromResult(host.Acs.SentTo(phone)), s => s.Count == 1, "the SMS after the quiet hours"));
        var log = await EventuallyAsync(() => host.LogAsync(libraryId), l => l.Any(e => e.Channel == NoticeChannel.Sms && e.Status == EmailStatus.Sent), "the Sent row");

        // The outbox attempts a notice up to two seconds before its time (its clock tolerance), never earlier.
        Assert.True(sms.ReceivedAt >= end.AddSeconds(-2), $"sent at {sms.ReceivedAt:O}, quiet hours ended {end:O}");
        var sent = Assert.Single(log, e => e.Channel == NoticeChannel.Sms && e.Status == EmailStatus.Sent);
        Assert.NotNull(sent.OutboxNoticeId);
        Assert.Equal(skipped.NoticeId, sent.NoticeId);
        Assert.Single(log, e => e.Channel == NoticeChannel.Email && e.Scenario == "recall");
    }

    private static async Task RecallAsync(HttpClient client, string libraryId, string loanId, string title)
    {
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new { loanId, patronId = "p1", title, dueAt = DateTimeOffset.UtcNow.AddDays(30) }, HttpStatusCode.Created);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/{loanId}/recall", new { reason = "Requested by another reader" }, HttpStatusCode.Accepted);
    }

    /// <summary>What Event Grid writes into the inbound queue for an SMS to our number (Event Grid schema, base64).</summary>
    private static async Task ReplyAsync(SmsHost host, string from, string text)
    {
        var queue = new QueueClient(host.Settings["Comms:Storage:ConnectionString"], host.Settings["Comms:Sms:InboundQueueName"], new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        var ev = new[]
        {
            new
            {
                id = Guid.NewGuid().ToString(),
                topic = "/subscriptions/x/resourceGroups/y/providers/Microsoft.Communication/communicationServices/z",
                subject = $"/phonenumber/{from.TrimStart('+')}",
                eventType = SmsInboundHandler.EventType,
                eventTime = DateTimeOffset.UtcNow,
                dataVersion = "1.0",
                data = new { messageId = "Incoming_" + Guid.NewGuid().ToString("N"), from, to = "+18005550100", message = text, receivedTimestamp = DateTimeOffset.UtcNow },
            },
        };
        await queue.SendMessageAsync(JsonSerializer.Serialize(ev));
    }

    private static Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what) => EndToEndHost.EventuallyAsync(probe, done, Wait, what);
}
