using System.Net;
using System.Text.Json;
using Comms.Contacts;
using Comms.Delivery;
using Comms.EmailLog;
using Comms.Notices;
using Comms.Print;
using Comms.Scenarios;
using Comms.Sms;
using Comms.Tests.Infrastructure;
using Comms.Tests.Reservations;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Print;

/// <summary>
/// The print step end to end on the dev host (real durable engine, dispatcher, ledger, outbox, SMS to the pickup folder):
/// a mandatory notice neither email nor SMS reaches becomes one page of the library's print batch, once; the batch PDF
/// is made over HTTP, read back page by page, and confirmed printed.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class PrintFlowTests(EmulatorFixture emulators)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    private static Comms.Libraries.Library Library(string id) => Samples.Library(id) with
    {
        TimeZone = "UTC",
        SmsQuietHours = new QuietHours { Start = TimeOnly.MinValue, End = TimeOnly.MinValue },
    };

    private static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A patron with neither an email address nor a phone number, only a postal address.</summary>
    private static Patron Unreachable(string id, string name, string? branch = null) => new()
    {
        Id = id,
        Name = name,
        Branch = branch,
        PostalAddress = $"{id} High Street\nLeeds LS1 1AA",
        Contacts = [new Contact { Role = ContactRole.Patron, Name = name }],
    };

    [Fact]
    public async Task Recall_PatronWithNoEmailAndNoPhone_OnePrintItemAndItsLogRow()
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = NewId("prt");
        using var client = await host.CreateLibraryAsync(Library(libraryId), Unreachable("p1", "Ada Lovelace"));

        await RecallAsync(client, libraryId, "loan-1", "Middlemarch");
        var log = await EventuallyAsync(() => LogAsync(host, libraryId), l => l.Any(e => e.Channel == NoticeChannel.Print), "the print row");

        var recall = log.Where(e => e.Scenario == "recall").ToList();
        Assert.Equal(EmailStatus.NoContact, Assert.Single(recall, e => e.Channel == NoticeChannel.Email).Status);
        Assert.DoesNotContain(recall, e => e.Channel == NoticeChannel.Sms);
        var print = Assert.Single(recall, e => e.Channel == NoticeChannel.Print);
        Assert.Equal((EmailStatus.Queued, "Print", "p1 High Street, Leeds LS1 1AA"), (print.Status, print.Provider, print.Address));
        Assert.Contains("Middlemarch", print.Preview, StringComparison.Ordinal);
        var item = Assert.Single(await WaitingAsync(host, libraryId));
        Assert.Equal((print.NoticeId, "Ada Lovelace", print.Id), (item.Id, item.RecipientName, item.LogEntryId));

        // Deleting the patron takes their waiting page too: no letter goes out to a reader who was erased.
        using var delete = await client.DeleteAsync(new Uri($"/api/libraries/{libraryId}/patrons/p1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Empty(await WaitingAsync(host, libraryId));
    }

    [Fact]
    public async Task Dispatch_RepeatedAsARetryWould_OnePrintItem()
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = NewId("prr");
        using var client = await host.CreateLibraryAsync(Library(libraryId), Unreachable("p1", "Ada Lovelace"));
        var dispatcher = host.App.Services.GetRequiredService<INoticeDispatcher>();
        var request = new NoticeRequest
        {
            LibraryId = libraryId,
            Scenario = new ScenarioKey(Scenario.Overdue),
            SubjectRecordId = "loan-1",
            ScheduledFor = new DateOnly(2026, 12, 3),
            PatronId = "p1",
            Loans = [new LoanFact("loan-1", "Dune", null, null, DateTimeOffset.UtcNow.AddDays(-3))],
        };

        var first = await dispatcher.DispatchAsync(request);
        var second = await dispatcher.DispatchAsync(request);

        Assert.Equal("sent", first.Outcome);
        Assert.Equal(1, second.AlreadySent);
        var item = Assert.Single(await WaitingAsync(host, libraryId));
        Assert.Equal(NoticeIds.For(new Notice
        {
            LibraryId = libraryId,
            Scenario = request.Scenario,
            SubjectRecordId = "loan-1",
            ScheduledFor = request.ScheduledFor,
            Recipients = [],
            Content = RenderedEmail.Empty,
        }, NoticeIds.RecipientKey(new NoticeRecipient("Ada Lovelace", null, ContactRole.Patron, "p1")), NoticeChannel.Print), item.Id);
        var rows = (await LogAsync(host, libraryId)).Where(e => e.Channel == NoticeChannel.Print).ToList();
        Assert.Single(rows, e => e.Status == EmailStatus.Queued);
        Assert.Single(rows, e => e.Status == EmailStatus.Skipped);
    }

    [Fact]
    public async Task Recall_NumberOptedOut_SmsSuppressedAndThePrintBatchTakesIt()
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = NewId("pro");
        var phone = Comms.Tests.Sms.SmsHost.NewNumber();
        using var client = await host.CreateLibraryAsync(Library(libraryId), Comms.Tests.Sms.SmsHost.PatronWithoutEmail("p1", phone));
        var numbers = host.App.Services.GetRequiredService<SmsNumberStore>();
        await numbers.RecordSentAsync(phone, libraryId, DateTimeOffset.UtcNow);
        await numbers.SetOptOutAsync(phone, true, DateTimeOffset.UtcNow);

        await RecallAsync(client, libraryId, "loan-1", "Emma");
        var log = await EventuallyAsync(() => LogAsync(host, libraryId), l => l.Any(e => e.Channel == NoticeChannel.Print), "the print row");

        Assert.Equal(EmailStatus.Suppressed, Assert.Single(log, e => e.Channel == NoticeChannel.Sms).Status);
        var print = Assert.Single(log, e => e.Channel == NoticeChannel.Print);
        Assert.Equal(EmailStatus.Queued, print.Status);
        Assert.Contains("no postal address", print.Reason, StringComparison.Ordinal);
        Assert.Single(await WaitingAsync(host, libraryId));
    }

    [Fact]
    public async Task Recall_ChainEmailThenPrint_PatronWithANumberIsPrintedNotTexted()
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = NewId("prc");
        var library = Library(libraryId) with
        {
            Scenarios = new Dictionary<Scenario, Comms.Libraries.ScenarioSettings>
            {
                [Scenario.Recall] = Comms.Libraries.LibraryDefaults.For(Scenario.Recall) with { Channels = [NoticeChannel.Email, NoticeChannel.Print] },
            },
        };
        using var client = await host.CreateLibraryAsync(library, Comms.Tests.Sms.SmsHost.PatronWithoutEmail("p1", Comms.Tests.Sms.SmsHost.NewNumber()));

        await RecallAsync(client, libraryId, "loan-1", "Walden");
        var log = await EventuallyAsync(() => LogAsync(host, libraryId), l => l.Any(e => e.Channel == NoticeChannel.Print), "the print row");

        Assert.DoesNotContain(log, e => e.Channel == NoticeChannel.Sms);
        Assert.Equal(EmailStatus.NoContact, Assert.Single(log, e => e.Channel == NoticeChannel.Email && e.Scenario == "recall").Status);
        Assert.Equal(EmailStatus.Queued, Assert.Single(log, e => e.Channel == NoticeChannel.Print).Status);
        Assert.Single(await WaitingAsync(host, libraryId));
    }

    [Fact]
    public async Task Batch_MadeOverHttp_OnePagePerNoticePerBranch_DownloadedAndMarkedPrintedOnce()
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = NewId("prb");
        using var client = await host.CreateLibraryAsync(Library(libraryId),
            Unreachable("p1", "Ada Lovelace", "east"), Unreachable("p2", "Grace Hopper", "east"), Unreachable("p3", "Alan Turing"));
        await RecallAsync(client, libraryId, "loan-1", "Middlemarch", "p1");
        await RecallAsync(client, libraryId, "loan-2", "Persuasion", "p2");
        await RecallAsync(client, libraryId, "loan-3", "Walden", "p3");
        await EventuallyAsync(() => WaitingAsync(host, libraryId), w => w.Count == 3, "three print items");

        // One branch first (the body names it), then the rest: the library's own batch.
        var eastOnly = await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/print/batches", new { branch = "east" }, HttpStatusCode.OK);
        var made = await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/print/batches", null, HttpStatusCode.OK);
        var again = await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/print/batches", null, HttpStatusCode.OK);

        Assert.Empty(again.GetProperty("batches").EnumerateArray());
        Assert.Equal("east", Assert.Single(eastOnly.GetProperty("batches").EnumerateArray()).GetProperty("branch").GetString());
        var rest = Assert.Single(made.GetProperty("batches").EnumerateArray());
        Assert.False(rest.TryGetProperty("branch", out var none) && none.ValueKind != JsonValueKind.Null);
        var batches = eastOnly.GetProperty("batches").EnumerateArray().Concat(made.GetProperty("batches").EnumerateArray()).ToList();
        Assert.Equal(2, batches.Count);
        var east = Assert.Single(batches, b => b.TryGetProperty("branch", out var br) && br.GetString() == "east");
        Assert.Equal(("ready", 2), (east.GetProperty("state").GetString(), east.GetProperty("pageCount").GetInt32()));
        var eastId = east.GetProperty("id").GetString()!;

        using var pdfResponse = await client.GetAsync(new Uri($"/api/libraries/{libraryId}/print/batches/{eastId}/pdf", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, pdfResponse.StatusCode);
        Assert.Equal("application/pdf", pdfResponse.Content.Headers.ContentType?.MediaType);
        var pages = PdfPages.Text(await pdfResponse.Content.ReadAsByteArrayAsync());
        var items = (await GetJsonAsync(client, $"/api/libraries/{libraryId}/print/batches/{eastId}/items")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, pages.Count);
        Assert.Equal(2, items.Count);
        for (var i = 0; i < pages.Count; i++)
        {
            // Each page names its own reader and book, and only those: the items list is in page order.
            var name = items[i].GetProperty("recipientName").GetString()!;
            var (title, other) = name == "Ada Lovelace" ? ("Middlemarch", "Persuasion") : ("Persuasion", "Middlemarch");
            Assert.Contains(name, pages[i], StringComparison.Ordinal);
            Assert.Contains(title, pages[i], StringComparison.Ordinal);
            Assert.DoesNotContain(other, pages[i], StringComparison.Ordinal);
            Assert.DoesNotContain("Walden", pages[i], StringComparison.Ordinal);
        }

        var printed = await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/print/batches/{eastId}/printed", null, HttpStatusCode.OK);
        var repeated = await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/print/batches/{eastId}/printed", null, HttpStatusCode.OK);

        Assert.Equal("printed", printed.GetProperty("state").GetString());
        Assert.StartsWith("key:", printed.GetProperty("printedBy").GetString(), StringComparison.Ordinal);
        Assert.Equal(printed.GetProperty("printedAt").GetString(), repeated.GetProperty("printedAt").GetString());
        var rows = (await LogAsync(host, libraryId)).Where(e => e.Channel == NoticeChannel.Print).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(2, rows.Count(e => e.Status == EmailStatus.Printed));
        Assert.Equal(EmailStatus.Queued, Assert.Single(rows, e => e.RecipientName == "Alan Turing").Status);
        var list = await GetJsonAsync(client, $"/api/libraries/{libraryId}/print/batches");
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Batch_AnotherLibrarysKey_Is403AndAnUnknownBatch404()
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = NewId("prx");
        using var client = await host.CreateLibraryAsync(Library(libraryId), Unreachable("p1", "Ada Lovelace"));
        using var other = await host.CreateLibraryAsync(Library(NewId("pry")));
        await RecallAsync(client, libraryId, "loan-1", "Middlemarch");
        await EventuallyAsync(() => WaitingAsync(host, libraryId), w => w.Count == 1, "the print item");
        var batchId = (await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/print/batches", null, HttpStatusCode.OK))
            .GetProperty("batches")[0].GetProperty("id").GetString()!;

        using var pdf = await other.GetAsync(new Uri($"/api/libraries/{libraryId}/print/batches/{batchId}/pdf", UriKind.Relative));
        using var mark = await other.PostAsync(new Uri($"/api/libraries/{libraryId}/print/batches/{batchId}/printed", UriKind.Relative), null);
        using var create = await other.PostAsync(new Uri($"/api/libraries/{libraryId}/print/batches", UriKind.Relative), null);
        using var missing = await client.GetAsync(new Uri($"/api/libraries/{libraryId}/print/batches/0000000000000000000-nothere/pdf", UriKind.Relative));

        using var badBranch = await client.PostAsync(new Uri($"/api/libraries/{libraryId}/print/batches", UriKind.Relative),
            new StringContent("{\"branch\": \"east wing/2\"}", System.Text.Encoding.UTF8, "application/json"));
        using var unknownField = await client.PostAsync(new Uri($"/api/libraries/{libraryId}/print/batches", UriKind.Relative),
            new StringContent("{\"scenario\": \"overdue\"}", System.Text.Encoding.UTF8, "application/json"));
        using var query = await client.PostAsync(new Uri($"/api/libraries/{libraryId}/print/batches?pageSize=5", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.BadRequest, badBranch.StatusCode);
        Assert.Contains("\"branch\"", await badBranch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, query.StatusCode);
        Assert.Contains("pageSize", await query.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, pdf.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, mark.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Single(await WaitingAsync(host, libraryId, batchId));
    }

    private static async Task RecallAsync(HttpClient client, string libraryId, string loanId, string title, string patronId = "p1")
    {
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new { loanId, patronId, title, dueAt = DateTimeOffset.UtcNow.AddDays(30) }, HttpStatusCode.Created);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/{loanId}/recall", new { reason = "Requested by another reader" }, HttpStatusCode.Accepted);
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<IReadOnlyList<EmailLogEntry>> LogAsync(EndToEndHost host, string libraryId) =>
        (await host.App.Services.GetRequiredService<EmailLogStore>().QueryAsync(libraryId, new EmailLogQuery { PageSize = 1000 })).Items;

    /// <summary>The library's items waiting for a batch, or (with <paramref name="batchId"/>) those of one batch.</summary>
    private static async Task<IReadOnlyList<PrintItem>> WaitingAsync(EndToEndHost host, string libraryId, string? batchId = null)
    {
        var store = host.App.Services.GetRequiredService<PrintItemStore>();
        return batchId is null ? [.. (await store.ListWaitingAsync(libraryId, null, 100)).Select(w => w.Item)] : await store.ListBatchAsync(libraryId, batchId);
    }

    private static Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what) => EndToEndHost.EventuallyAsync(probe, done, Wait, what);
}
