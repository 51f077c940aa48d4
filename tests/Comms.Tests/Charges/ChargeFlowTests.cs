using System.Net;
using Comms.Libraries;
using Comms.Tests.Infrastructure;
using Comms.Tests.Reservations;
using Microsoft.Extensions.DependencyInjection;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Charges;

/// <summary>
/// Lost items and charges end to end on the dev host's durable engine with the real dispatcher, outbox, pickup
/// folder and email log (one ladder day = one second): the ladder's declared-lost step, the library system's lost
/// event, the return that adjusts the charge and the payment, each sent once, amounts in the library's currency.
/// The library system's calls queue their notice and answer it at once; the mail is read once the outbox drained.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ChargeFlowTests(EmulatorFixture emulators)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Ladder_EndsWithDeclaredLost_ListingCostAndFee_ThenReturnSendsChargeAdjusted()
    {
        var (host, client, libraryId) = await StartAsync(library => library with
        {
            Timing = new NoticeTiming { PreOverdueDaysBefore = 0, OverdueGraceDays = 1, EscalationDaysAfterDue = [2], DeclaredLostDaysAfterDue = 3 },
        });
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans",
            new { loanId = "l1", patronId = "p1", title = "Dune", dueAt = DateTimeOffset.UtcNow.AddSeconds(1), replacementCost = 14.99m, lostFee = 5m }, HttpStatusCode.Created);

        var sent = await EndToEndHost.EventuallyAsync(() => host.SentAsync(libraryId), s => s.Count(k => k == "declared-lost") >= 2, Wait, "the declared-lost notice");
        var loan = await EndToEndHost.EventuallyAsync(
            () => GetLoanAsync(client, libraryId),
            l => l.GetProperty("loan").GetProperty("status").GetString() == "lost",
            Wait,
            "the loan to be lost");

        Assert.Equal(["declared-lost", "declared-lost", "escalation-1", "escalation-1", "loan-receipt", "loan-receipt", "overdue", "overdue"], sent.Order(StringComparer.Ordinal));
        var lost = host.Outbox(libraryId).Where(m => m.Subject!.StartsWith("Items charged as lost", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lost.Count);
        Assert.All(lost, m => Assert.Contains("replacement £14.99, fee £5.00; £19.99", m.TextBody, StringComparison.Ordinal));
        Assert.All(lost, m => Assert.Contains("Total: £19.99", m.TextBody, StringComparison.Ordinal));
        Assert.Equal("lost", loan.GetProperty("loan").GetProperty("status").GetString());

        var (back, location) = await QueuedNotices.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/return", null, HttpStatusCode.Accepted);

        QueuedNotices.AssertQueued(back.GetProperty("notice"), libraryId);
        Assert.Equal($"/api/libraries/{libraryId}/loans/l1", location);
        var returned = (await host.OutboxAsync(libraryId)).Where(m => m.Subject!.StartsWith("Lost item returned", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, returned.Count);
        Assert.All(returned, m => Assert.Contains("Still to pay for it: £5.00", m.TextBody, StringComparison.Ordinal));
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/return", null, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task LostEvent_SendsOnceWithTheEventsCharges_EndsTheLadder_AndOtherChargesConflict()
    {
        var (host, client, libraryId) = await StartAsync(library => library with { Currency = "EUR", DefaultLanguage = "fr-FR", TimeZone = "Europe/Paris" });
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans",
            new { loanId = "l1", patronId = "p1", title = "Germinal", dueAt = DateTimeOffset.UtcNow.AddDays(30) }, HttpStatusCode.Created);

        var (first, location) = await QueuedNotices.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/lost", new { replacementCost = 12.5m, lostFee = 3m }, HttpStatusCode.Accepted);
        var again = await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/lost", new { replacementCost = 12.5m, lostFee = 3m }, HttpStatusCode.Accepted);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/lost", new { replacementCost = 99m }, HttpStatusCode.Conflict);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/renew", new { dueAt = DateTimeOffset.UtcNow.AddDays(40) }, HttpStatusCode.Conflict);
        var status = await EndToEndHost.EventuallyAsync(() => GetLoanAsync(client, libraryId), l => l.GetProperty("runtimeStatus").GetString() == "Completed", Wait, "the ladder to end");

        Assert.True(first.GetProperty("changed").GetBoolean());
        Assert.False(again.GetProperty("changed").GetBoolean());
        Assert.Equal($"/api/libraries/{libraryId}/loans/l1", location);
        var href = QueuedNotices.AssertQueued(first.GetProperty("notice"), libraryId);
        Assert.Equal(href, again.GetProperty("notice").GetProperty("href").GetString());
        Assert.Equal("lost", status.GetProperty("notices").GetProperty("state").GetString());
        var lost = (await host.OutboxAsync(libraryId)).Where(m => m.Subject!.StartsWith("Items charged as lost", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lost.Count);
        // The library's currency in the reader's locale: French separators and the euro sign after the amount.
        Assert.All(lost, m => Assert.Matches("12,50\\s€", m.TextBody));
        Assert.All(lost, m => Assert.Matches("15,50\\s€", m.HtmlBody));

        // The lost item comes back at the desk: the check-in queues lost-item-returned beside the receipt, once.
        var checkIn = await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/check-ins", new { patronId = "p1", loanIds = new[] { "l1" } }, HttpStatusCode.Accepted);
        var checkInAgain = await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/check-ins", new { patronId = "p1", loanIds = new[] { "l1" } }, HttpStatusCode.Accepted);
        var returnedHref = QueuedNotices.AssertQueued(Assert.Single(checkIn.GetProperty("lostItemReturned").EnumerateArray()), libraryId);
        Assert.Equal(returnedHref, Assert.Single(checkInAgain.GetProperty("lostItemReturned").EnumerateArray()).GetProperty("href").GetString());
        Assert.Equal(2, (await host.LogAsync(libraryId)).Count(e => e.Scenario == "lost-item-returned" && e.Status == Comms.EmailLog.EmailStatus.Sent));
        Assert.Equal("sent", await QueuedNotices.StatusAsync(client, returnedHref));
    }

    [Fact]
    public async Task LostReturn_CutOffBeforeItsNoticeWasQueued_RepeatedReturnQueuesItOnce()
    {
        var (host, client, libraryId) = await StartAsync(library => library);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans",
            new { loanId = "l1", patronId = "p1", title = "Dune", dueAt = DateTimeOffset.UtcNow.AddDays(30) }, HttpStatusCode.Created);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/lost", new { replacementCost = 10m, lostFee = 2m }, HttpStatusCode.Accepted);

        // The first return stored the loan as returned and died before queuing the charge-adjusted notice.
        await host.App.Services.GetRequiredService<Comms.Circulation.LoanService>().ReturnAsync(libraryId, "l1");
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/return", null, HttpStatusCode.Conflict);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/return", null, HttpStatusCode.Conflict);

        var returned = (await host.OutboxAsync(libraryId)).Where(m => m.Subject!.StartsWith("Lost item returned", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, returned.Count); // the patron and the contact, once each
        Assert.Equal(2, (await host.LogAsync(libraryId)).Count(e => e.Scenario == "lost-item-returned" && e.Status == Comms.EmailLog.EmailStatus.Sent));
    }

    [Fact]
    public async Task Payment_SentOncePerPaymentId_ListsThePatronsLoans_BadInputIs400()
    {
        var (host, client, libraryId) = await StartAsync();
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans",
            new { loanId = "l1", patronId = "p1", title = "Dune", dueAt = DateTimeOffset.UtcNow.AddDays(30) }, HttpStatusCode.Created);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans",
            new { loanId = "theirs", patronId = "p2", title = "Walden", dueAt = DateTimeOffset.UtcNow.AddDays(30) }, HttpStatusCode.Created);
        var payment = new { paymentId = "pay-1", amount = 19.99m, balance = 0m, paidAt = DateTimeOffset.UtcNow, loanIds = new[] { "l1" } };

        var (first, location) = await QueuedNotices.PostAsync(client, $"/api/libraries/{libraryId}/patrons/p1/payments", payment, HttpStatusCode.Accepted);
        var (again, _) = await QueuedNotices.PostAsync(client, $"/api/libraries/{libraryId}/patrons/p1/payments", payment, HttpStatusCode.Accepted);
        using var bad = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/patrons/p1/payments",
            Serialize(new { paymentId = "pay 2", amount = -1.001m, loanIds = new[] { "theirs" } })));
        using var theirs = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/patrons/p1/payments",
            Serialize(new { paymentId = "pay-3", amount = 1m, paidAt = DateTimeOffset.UtcNow, loanIds = new[] { "theirs" } })));
        using var unknown = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/patrons/nobody/payments",
            Serialize(new { paymentId = "pay-4", amount = 1m, paidAt = DateTimeOffset.UtcNow })));

        await bad.AssertProblemAsync(400, "paymentId", "amount", "paidAt");
        await theirs.AssertProblemAsync(400, "loanIds[0]");
        await unknown.AssertProblemAsync(404);
        var href = QueuedNotices.AssertQueued(first.GetProperty("notice"), libraryId);
        Assert.Equal(href, location);
        Assert.Equal("pay-1", first.GetProperty("paymentId").GetString());
        Assert.Equal(href, again.GetProperty("notice").GetProperty("href").GetString());
        var paid = (await host.OutboxAsync(libraryId)).Where(m => m.Subject!.StartsWith("Payment received", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, paid.Count);
        Assert.All(paid, m => Assert.Equal("Payment received: £19.99", m.Subject));
        Assert.All(paid, m => Assert.Contains("Dune", m.HtmlBody, StringComparison.Ordinal));
        Assert.All(paid, m => Assert.DoesNotContain("Walden", m.HtmlBody, StringComparison.Ordinal));
        Assert.All(paid, m => Assert.Contains("Nothing more is owed.", m.TextBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChargeEvents_OtherLibrarysKeyIs403_AndGroupExclusionSkips()
    {
        var (host, client, libraryId) = await StartAsync(library => library with
        {
            Scenarios = new Dictionary<Comms.Scenarios.Scenario, ScenarioSettings>
            {
                [Comms.Scenarios.Scenario.DeclaredLost] = new() { ExcludedPatronGroups = ["Year 7"] },
            },
        });
        var (_, other, _) = await StartAsync();
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans",
            new { loanId = "l1", patronId = "p1", title = "Dune", dueAt = DateTimeOffset.UtcNow.AddDays(30) }, HttpStatusCode.Created);

        using var foreignLost = await other.PostAsync($"/api/libraries/{libraryId}/loans/l1/lost", null);
        using var foreignPay = await other.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/patrons/p1/payments",
            Serialize(new { paymentId = "pay-1", amount = 1m, paidAt = DateTimeOffset.UtcNow })));
        await foreignLost.AssertProblemAsync(403);
        await foreignPay.AssertProblemAsync(403);
        Assert.Equal("active", (await GetLoanAsync(client, libraryId)).GetProperty("loan").GetProperty("status").GetString());

        var lost = await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans/l1/lost", null, HttpStatusCode.Accepted);

        var href = QueuedNotices.AssertQueued(lost.GetProperty("notice"), libraryId);
        Assert.DoesNotContain(await host.OutboxAsync(libraryId), m => m.Subject!.StartsWith("Items charged as lost", StringComparison.Ordinal));
        Assert.Equal("skipped", await QueuedNotices.StatusAsync(client, href));
    }

    [Fact]
    public async Task Preview_NewScenarioDefaults_RenderForARealPatronInTheLibrarysCurrency()
    {
        var (_, client, libraryId) = await StartAsync(library => library with { Currency = "EUR" });

        var lost = await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/templates/preview", new { templateId = "default:declared-lost", patronId = "p1" }, HttpStatusCode.OK);
        var renewals = await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/templates/preview", new { templateId = "default:auto-renewal", patronId = "p1" }, HttpStatusCode.OK);

        Assert.Contains("€14.99", lost.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("Dear Patron p1,", lost.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("<caption style=\"text-align:left; font-weight:bold; padding:0 0 8px 0;\">Not renewed</caption>", renewals.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Contains("another reader has reserved it.", renewals.GetProperty("text").GetString(), StringComparison.Ordinal);

        // Facts of the scenario's own: the preview's data, checked like every other section's.
        var given = await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/templates/preview", new
        {
            templateId = "default:payment-received",
            data = new { charges = new { lines = Array.Empty<object>(), paid = 7.5m, balance = 2m } },
        }, HttpStatusCode.OK);
        using var bad = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/templates/preview", Serialize(new
        {
            templateId = "default:declared-lost",
            data = new { charges = new { lines = new[] { new { title = "A\nB", barcode = "1", dueDate = DateTimeOffset.UtcNow, fee = -1m } } } },
        })));
        Assert.Equal("Payment received: €7.50", given.GetProperty("subject").GetString());
        Assert.Contains("Still to pay: €2.00", given.GetProperty("text").GetString(), StringComparison.Ordinal);
        await bad.AssertProblemAsync(400, "data.charges.lines[0].title", "data.charges.lines[0].fee");
    }

    private static async Task<System.Text.Json.JsonElement> GetLoanAsync(HttpClient client, string libraryId)
    {
        using var response = await client.GetAsync($"/api/libraries/{libraryId}/loans/l1");
        response.EnsureSuccessStatusCode();
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<(EndToEndHost Host, HttpClient Client, string LibraryId)> StartAsync(Func<Library, Library>? configure = null)
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = $"chg-{Guid.NewGuid():N}"[..20];
        var library = Samples.Library(libraryId);
        return (host, await host.CreateLibraryAsync(configure?.Invoke(library) ?? library, Samples.Patron("p1"), Samples.Patron("p2")), libraryId);
    }
}
