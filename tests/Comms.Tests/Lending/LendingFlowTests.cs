using System.Net;
using System.Text.Json;
using Comms.Common;
using Comms.Contacts;
using Comms.Tests.Infrastructure;
using Comms.Tests.Reservations;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Lending;

/// <summary>
/// The notices that go at once, over HTTP through the real dispatcher to the pickup folder and the email log:
/// the checkout receipt, the current loans report, the password reset and the supplier order.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class LendingFlowTests(EmulatorFixture emulators)
{
    // Far enough ahead that no ladder step fires during a test (one "day" is one second here).
    private static DateTimeOffset Due(int days) => DateTimeOffset.UtcNow.AddDays(days);

    [Fact]
    public async Task CheckoutSession_OneReceiptPerChosenRoleListingEveryItem_OnceEvenWhenPostedTwice()
    {
        var (host, client, libraryId) = await StartAsync();
        var session = new
        {
            patronId = "p1",
            loans = new[]
            {
                new { loanId = "l1", title = "Dune", dueAt = Due(21) },
                new { loanId = "l2", title = "Emma", dueAt = Due(21) },
                new { loanId = "l3", title = "Ulysses", dueAt = Due(28) },
            },
        };

        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", session, HttpStatusCode.Created);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", session, HttpStatusCode.OK);

        var receipts = await host.OutboxAsync(libraryId);
        Assert.Equal(["p1@pupils.example.org", "parent.p1@home.example.org"], receipts.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        Assert.All(receipts, m => Assert.All(new[] { "Dune", "Emma", "Ulysses" }, t => Assert.Contains(t, m.TextBody, StringComparison.Ordinal)));
        Assert.Equal(["loan-receipt", "loan-receipt"], await host.SentAsync(libraryId));
    }

    [Fact]
    public async Task CheckoutReceipt_RolesAndSwitchAreTheLibrarys()
    {
        var (host, client, libraryId) = await StartAsync(library => library with
        {
            Scenarios = new Dictionary<Comms.Scenarios.Scenario, Comms.Libraries.ScenarioSettings>
            {
                [Comms.Scenarios.Scenario.LoanReceipt] = new() { Roles = [ContactRole.Parent] },
            },
        });

        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new { loanId = "l1", patronId = "p1", title = "Dune", dueAt = Due(21) }, HttpStatusCode.Created);

        Assert.Equal("parent.p1@home.example.org", Assert.Single(await host.OutboxAsync(libraryId)).To.Mailboxes.Single().Address);
    }

    [Fact]
    public async Task CurrentLoansReport_ListsOnlyLoansStillOutWithDueDates()
    {
        var (host, client, libraryId) = await StartAsync();
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new { loanId = "out", patronId = "p1", title = "Middlemarch", dueAt = new DateTimeOffset(2027, 3, 14, 17, 0, 0, TimeSpan.Zero) }, HttpStatusCode.Created);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new { loanId = "back", patronId = "p1", title = "Persuasion", dueAt = Due(30) }, HttpStatusCode.Created);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new { loanId = "theirs", patronId = "p2", title = "Walden", dueAt = Due(30) }, HttpStatusCode.Created);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/back/return", null, HttpStatusCode.Accepted);

        var report = await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/patrons/p1/current-loans-report", null, HttpStatusCode.Accepted);

        Assert.Equal(["out"], report.GetProperty("loans").EnumerateArray().Select(l => l.GetProperty("loanId").GetString()));
        // The library's roles for current-loans-report: by default the patron's own contact only.
        var reports = (await host.OutboxAsync(libraryId)).Where(m => m.Subject!.StartsWith("Your current loans", StringComparison.Ordinal)).ToList();
        Assert.Equal("p1@pupils.example.org", Assert.Single(reports).To.Mailboxes.Single().Address);
        Assert.All(reports, m => Assert.Contains("Middlemarch", m.TextBody, StringComparison.Ordinal));
        Assert.All(reports, m => Assert.Matches("(14 March|March 14),? 2027", m.TextBody));
        Assert.All(reports, m => Assert.DoesNotContain("Persuasion", m.TextBody, StringComparison.Ordinal));
        Assert.All(reports, m => Assert.DoesNotContain("Walden", m.TextBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CurrentLoansReport_UnknownPatronIs404_OtherLibrarysKeyIs403()
    {
        var (host, client, libraryId) = await StartAsync();
        var (_, other, _) = await StartAsync();

        using var unknown = await client.PostAsync($"/api/libraries/{libraryId}/patrons/nobody/current-loans-report", null);
        using var foreign = await other.PostAsync($"/api/libraries/{libraryId}/patrons/p1/current-loans-report", null);

        await unknown.AssertProblemAsync(404);
        await foreign.AssertProblemAsync(403);
        Assert.Empty(await host.OutboxAsync(libraryId));
    }

    [Fact]
    public async Task CheckoutSession_BadInputIs400AndSendsNoReceipt()
    {
        var (host, client, libraryId) = await StartAsync();

        using var response = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/loans", Serialize(new { patronId = "p1", loans = new[] { new { loanId = "x", title = "" } } })));

        await response.AssertProblemAsync(400, "loans[0].title", "loans[0].dueAt");
        Assert.Empty(await host.OutboxAsync(libraryId));
    }

    [Fact]
    public async Task PasswordReset_OverHttp_LinkIsInTheEmailAndNowhereInTheLog()
    {
        const string secret = "S3CRET-TOKEN-9f8e7d";
        var (host, client, libraryId) = await StartAsync();

        using var response = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/password-resets",
            Serialize(new { patronId = "p1", resetLink = $"https://opac.example.org/reset?token={secret}", expiresAt = DateTimeOffset.UtcNow.AddHours(1) })));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var message = Assert.Single(await host.OutboxAsync(libraryId));
        Assert.Equal("p1@pupils.example.org", message.To.Mailboxes.Single().Address);
        Assert.Contains(secret, message.TextBody, StringComparison.Ordinal);
        Assert.Contains(secret, message.HtmlBody, StringComparison.Ordinal);
        var log = await host.LogAsync(libraryId);
        Assert.Equal(Comms.EmailLog.EmailStatus.Sent, Assert.Single(log).Status);
        Assert.DoesNotContain(secret, JsonSerializer.Serialize(log, CommsJson.Options), StringComparison.Ordinal);
        using var api = await client.GetAsync($"/api/libraries/{libraryId}/email-log");
        Assert.DoesNotContain(secret, await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SupplierOrder_OverHttp_HtmlTableAndTextToEveryOrderAddress_OnceUntilResent()
    {
        var (host, client, libraryId) = await StartAsync();
        using var put = await client.SendAsync(Request(HttpMethod.Put, $"/api/libraries/{libraryId}/suppliers/books",
            Serialize(new { id = "books", name = "Northern Books", orderEmails = new[] { "a@books.example.com", "b@books.example.com" } })));
        put.EnsureSuccessStatusCode();
        var order = Serialize(new
        {
            orderNumber = "PO-7",
            supplierId = "books",
            currency = "GBP",
            deliveryAddress = "1 High St",
            lines = new object[] { new { title = "Emma", isbn = "9780141439587", quantity = 3, unitPrice = 7.99m }, new { title = "Dune", quantity = 1, unitPrice = 10m } },
        });

        using var first = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/orders", order));
        using var again = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/orders", order));
        var afterRepeat = (await host.OutboxAsync(libraryId)).Count;
        using var resend = await client.PostAsync($"/api/libraries/{libraryId}/orders/PO-7/resend", null);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        Assert.Equal(2, afterRepeat);
        var messages = await host.OutboxAsync(libraryId);
        Assert.Equal(4, messages.Count);
        Assert.All(messages, m => Assert.Contains("<table", m.HtmlBody, StringComparison.Ordinal));
        Assert.All(messages, m => Assert.Contains("33.97", m.TextBody, StringComparison.Ordinal));
        Assert.Equal(["a@books.example.com", "a@books.example.com", "b@books.example.com", "b@books.example.com"],
            messages.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
    }

    private async Task<(EndToEndHost Host, HttpClient Client, string LibraryId)> StartAsync(Func<Comms.Libraries.Library, Comms.Libraries.Library>? configure = null)
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = $"lend-{Guid.NewGuid():N}"[..20];
        var library = Samples.Library(libraryId) with { TimeZone = "UTC" };
        return (host, await host.CreateLibraryAsync(configure?.Invoke(library) ?? library, Samples.Patron("p1"), Samples.Patron("p2")), libraryId);
    }
}
