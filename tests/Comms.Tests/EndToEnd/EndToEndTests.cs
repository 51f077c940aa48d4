using System.Net;
using System.Text.Json;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Tests.Delivery;
using Comms.Tests.Infrastructure;

namespace Comms.Tests.EndToEnd;

/// <summary>
/// The whole app as a library system sees it: the dev host as its own process, real HTTP in, the durable
/// engine on Azurite, SES (aws-ses-v2-local) out, and the email log read back over the API.
/// One ladder "day" is one second.
/// </summary>
[Collection(DevHostRunCollection.Name)]
public sealed class EndToEndTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(2);

    // Pre-overdue 2 days before due (patron only), overdue 5 days after and escalation 7 days after (patron and carers).
    // The test returns Cal's loan after seeing its pre-overdue notice and before its overdue step: the 7 s between
    // the two is the time the test has to read SES and post the return, which a busy CI machine needs (with 3 s,
    // the overdue notice once went out before the return arrived, which is right for a late return).
    private static readonly NoticeTiming Ladder = new() { PreOverdueDaysBefore = 2, OverdueGraceDays = 5, EscalationDaysAfterDue = [7] };

    private DevHostProcess _host = null!;

    public async Task InitializeAsync() => _host = await DevHostProcess.StartAsync(DevHostProcess.Settings(emulators));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Loans_WholeLadderRenewReturnRecall_ReachSesAndTheEmailLog()
    {
        var library = await E2eLibrary.CreateAsync(_host, emulators.SesEndpoint, Ladder);
        await library.AddPatronAsync("ada", withParent: true);
        await library.AddPatronAsync("ben");
        await library.AddPatronAsync("cal");
        await library.AddPatronAsync("dot", withParent: true);
        // Ada's, Ben's and Cal's pre-overdue step (2 s before due) must lie ahead when their loans are stored, or their
        // ladders rightly start at the overdue step: 10 s leaves room for the four posts on a loaded machine.
        var due = DateTimeOffset.UtcNow.AddSeconds(10);

        await Issue(library, "ada", "L-full", "Dune", due);
        await Issue(library, "ben", "L-renew", "Ulysses", due);
        await Issue(library, "cal", "L-return", "Emma", due);
        await Issue(library, "dot", "L-recall", "Middlemarch", due.AddDays(30));
        await library.SendAsync(HttpMethod.Post, "loans/L-recall/recall", new { newDueAt = DateTimeOffset.UtcNow.AddSeconds(6), reason = "Requested by another reader" }, HttpStatusCode.Accepted);
        await E2eLibrary.EventuallyAsync(library.SesEmailsAsync, m => Has(m, "ben", "Due soon") && Has(m, "cal", "Due soon"), Wait, Describe);
        await library.SendAsync(HttpMethod.Post, "loans/L-return/return", null, HttpStatusCode.Accepted);
        var renewedDue = DateTimeOffset.UtcNow.AddSeconds(4);
        await library.SendAsync(HttpMethod.Post, "loans/L-renew/renew", new { dueAt = renewedDue }, HttpStatusCode.Accepted);
        // Cal's loan was due with Ada's: once Ada's escalations are in, Cal's overdue would have been too.
        var mail = await E2eLibrary.EventuallyAsync(
            library.SesEmailsAsync,
            m => Has(m, "parent.ada", "Reminder 1") && Has(m, "ben", "Reminder 1") && Has(m, "parent.dot", "Reminder 1"),
            Wait,
            Describe);
        var log = await E2eLibrary.EventuallyAsync(() => library.LogAsync(), rows => rows.Count >= mail.Count, Wait, rows => $"{rows.Count} Sent log rows for {mail.Count} emails");

        Assert.All(mail, m => Assert.Equal(library.FromAddress, m.From));
        Assert.All(mail, m => Assert.False(string.IsNullOrWhiteSpace(m.Html) || string.IsNullOrWhiteSpace(m.Text), m.Subject));
        Assert.Equal(
            ["Due soon: library items borrowed by Patron ada", "Overdue library items for Patron ada", "Reminder 1: library items still overdue for Patron ada"],
            Subjects(mail, library.Address("ada")));
        Assert.Equal(["Overdue library items for Patron ada", "Reminder 1: library items still overdue for Patron ada"], Subjects(mail, library.Address("parent.ada")));
        Assert.All(To(mail, library.Address("ada")), m => Assert.Contains("Dune", m.Text + m.Html, StringComparison.Ordinal));
        Assert.Equal(["Due soon: library items borrowed by Patron cal"], Subjects(mail, library.Address("cal")));
        var recall = Assert.Single(To(mail, library.Address("parent.dot")), m => m.Subject.StartsWith("Please return by", StringComparison.Ordinal));
        Assert.Contains("Middlemarch", recall.Text, StringComparison.Ordinal);
        Assert.Single(To(mail, library.Address("dot")), m => m.Subject.StartsWith("Please return by", StringComparison.Ordinal));
        Assert.All(new[] { "ada", "parent.ada", "ben", "cal", "dot", "parent.dot" }, a => Assert.Single(To(mail, library.Address(a)), IsReceipt));
        var benOverdue = Assert.Single(log, r => Str(r, "address") == library.Address("ben") && Str(r, "scenario") == "overdue");
        Assert.True(benOverdue.GetProperty("time").GetDateTimeOffset() >= renewedDue, "the overdue notice follows the renewed due date");

        // Exactly once, and the log and the provider agree message for message.
        Assert.Equal(log.Count, log.Select(r => Str(r, "noticeId")).Distinct().Count());
        Assert.Equal(mail.Select(m => m.MessageId).Order(), log.Select(r => Str(r, "providerMessageId")).Order());

        foreach (var loan in new[] { "L-full", "L-renew", "L-recall" })
        {
            await library.SendAsync(HttpMethod.Post, $"loans/{loan}/return", null, HttpStatusCode.Accepted);
        }

        var returned = await library.SendAsync(HttpMethod.Get, "loans/L-return", null, HttpStatusCode.OK);
        Assert.Equal("returned", returned.GetProperty("loan").GetProperty("status").GetString());
    }

    [Fact]
    public async Task SupplierOrder_PostedTwice_OneEmailInSesAndOneSentRow()
    {
        var library = await E2eLibrary.CreateAsync(_host, emulators.SesEndpoint, Ladder);
        var supplier = new Supplier { Id = "books", Name = "Books Ltd", OrderEmails = [library.Address("orders")] };
        await library.SendAsync(HttpMethod.Put, "suppliers/books", supplier, HttpStatusCode.OK, HttpStatusCode.Created);
        var order = JsonDocument.Parse("""
            { "orderNumber": "PO-1", "supplierId": "books", "currency": "GBP", "deliveryAddress": "1 High St",
              "lines": [ { "title": "Pride and Prejudice", "isbn": "978-0-14-143951-8", "quantity": 2, "unitPrice": 12.50 } ] }
            """).RootElement;

        var first = await library.SendAsync(HttpMethod.Post, "orders", order, HttpStatusCode.Accepted);
        var again = await library.SendAsync(HttpMethod.Post, "orders", order, HttpStatusCode.Accepted);
        var mail = await E2eLibrary.EventuallyAsync(library.SesEmailsAsync, m => m.Count >= 1, Wait, Describe);
        var log = await E2eLibrary.EventuallyAsync(() => library.LogAsync(), rows => rows.Count >= 1, Wait, rows => $"{rows.Count} Sent rows");
        var skipped = await library.LogAsync("Skipped");

        var email = Assert.Single(mail);
        Assert.Equal([library.Address("orders")], email.To);
        Assert.Equal($"Purchase order PO-1 from Library {library.Id}", email.Subject);
        Assert.Contains("Pride and Prejudice", email.Text, StringComparison.Ordinal);
        Assert.Contains("Pride and Prejudice", email.Html, StringComparison.Ordinal);
        var row = Assert.Single(log);
        Assert.Equal("supplier-order", Str(row, "scenario"));
        Assert.Equal(email.MessageId, Str(row, "providerMessageId"));
        // The repeat answers the same queued notice instead of sending it again, so nothing is even skipped.
        var noticeId = first.GetProperty("notice").GetProperty("noticeId").GetString();
        Assert.Equal(noticeId, again.GetProperty("notice").GetProperty("noticeId").GetString());
        Assert.Equal(noticeId, Str(row, "outboxNoticeId"));
        Assert.Empty(skipped);
    }

    private static Task Issue(E2eLibrary library, string patronId, string loanId, string title, DateTimeOffset dueAt) =>
        library.SendAsync(HttpMethod.Post, "loans", new { loanId, patronId, title, author = "An Author", barcode = "39000" + loanId.Length, dueAt }, HttpStatusCode.Created);

    private static IEnumerable<StoredEmail> To(IEnumerable<StoredEmail> mail, string address) => mail.Where(m => m.To.Contains(address, StringComparer.OrdinalIgnoreCase));

    /// <summary>The ladder's notices to one address; the checkout receipt each loan also sends is checked on its own.</summary>
    private static string[] Subjects(IEnumerable<StoredEmail> mail, string address) =>
        [.. To(mail, address).Where(m => !IsReceipt(m)).Select(m => m.Subject).Order(StringComparer.Ordinal)];

    private static bool IsReceipt(StoredEmail m) => m.Subject.StartsWith("Your loan receipt", StringComparison.Ordinal);

    private static bool Has(IEnumerable<StoredEmail> mail, string local, string subjectStart) =>
        mail.Any(m => m.To.Any(a => a.StartsWith(local + "@", StringComparison.OrdinalIgnoreCase)) && m.Subject.StartsWith(subjectStart, StringComparison.Ordinal));

    private static string Describe(IReadOnlyList<StoredEmail> mail) =>
        $"{mail.Count} emails so far: " + string.Join("; ", mail.Select(m => $"{string.Join(",", m.To)}: {m.Subject}"));

    private static string? Str(JsonElement row, string name) => row.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
