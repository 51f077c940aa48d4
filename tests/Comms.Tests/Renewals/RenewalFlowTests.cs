using System.Net;
using System.Text.Json;
using Comms.Tests.Infrastructure;
using Comms.Tests.Reservations;
using static Comms.Tests.Infrastructure.ApiClient;

namespace Comms.Tests.Renewals;

/// <summary>
/// Auto-renewal results end to end on the dev host's durable engine with the real dispatcher and pickup folder
/// (one library day = one second): posts are applied to the loans and their ladders, and each patron's
/// contacts get one digest per day listing every result stored by its send time, once.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class RenewalFlowTests(EmulatorFixture emulators)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TwoPostsTogether_OneDigestPerContact_ListingRenewedAndRefused_AndTheLadderMoves()
    {
        var (host, client, libraryId) = await StartAsync();
        var due = DateTimeOffset.UtcNow.AddDays(10);
        var renewedTo = new DateTimeOffset(2030, 5, 17, 16, 0, 0, TimeSpan.Zero);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new
        {
            patronId = "p1",
            loans = new[] { new { loanId = "l1", title = "Dune", dueAt = due }, new { loanId = "l2", title = "Emma", dueAt = due }, new { loanId = "l3", title = "Kim", dueAt = due } },
        }, HttpStatusCode.Created);

        var first = new { results = new object[] { new { loanId = "l1", renewed = true, dueAt = renewedTo, finalRenewal = true }, new { loanId = "l2", renewed = false, reason = "reserved" } } };
        var second = new { results = new object[] { new { loanId = "l3", renewed = false, reason = "tooManyRenewals" } } };
        await Task.WhenAll(
            ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/renewal-results", first, HttpStatusCode.Accepted),
            ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/renewal-results", second, HttpStatusCode.Accepted));

        var digests = await EndToEndHost.EventuallyAsync(() => Task.FromResult(Digests(host, libraryId)), d => d.Count >= 2, Wait, "the renewal digests");
        var loan = await EndToEndHost.EventuallyAsync(() => GetLoanAsync(client, libraryId, "l1"), l => l.TryGetProperty("notices", out var n) && n.ValueKind == JsonValueKind.Object && n.GetProperty("dueAt").GetDateTimeOffset() == renewedTo, Wait, "the ladder to move");
        var repeat = await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/renewal-results", first, HttpStatusCode.Accepted);
        await Task.Delay(TimeSpan.FromSeconds(4));

        Assert.Equal(["p1@pupils.example.org", "parent.p1@home.example.org"], Digests(host, libraryId).Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        Assert.All(digests, m => Assert.Contains("Dune", m.TextBody, StringComparison.Ordinal));
        Assert.All(digests, m => Assert.Contains("(final renewal)", m.TextBody, StringComparison.Ordinal));
        Assert.All(digests, m => Assert.Contains("Emma, due", m.TextBody, StringComparison.Ordinal));
        Assert.All(digests, m => Assert.Contains("another reader has reserved it", m.TextBody, StringComparison.Ordinal));
        Assert.All(digests, m => Assert.Contains("Kim, due", m.TextBody, StringComparison.Ordinal));
        Assert.All(digests, m => Assert.Contains("renewed as often as allowed", m.TextBody, StringComparison.Ordinal));
        Assert.All(digests, m => Assert.Contains("17 May 2030", m.TextBody, StringComparison.Ordinal));
        Assert.Equal(renewedTo, loan.GetProperty("loan").GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(0, repeat.GetProperty("recorded").GetInt32());
        Assert.Equal(2, repeat.GetProperty("repeats").GetInt32());
    }

    [Fact]
    public async Task ResultsAfterADigest_GoInTheNextDaysDigest_OnlyTheNewOnes()
    {
        var (host, client, libraryId) = await StartAsync();
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new
        {
            patronId = "p1",
            loans = new[] { new { loanId = "l1", title = "Dune", dueAt = DateTimeOffset.UtcNow.AddDays(10) }, new { loanId = "l2", title = "Emma", dueAt = DateTimeOffset.UtcNow.AddDays(10) } },
        }, HttpStatusCode.Created);

        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/renewal-results", new { results = new[] { new { loanId = "l1", renewed = false, reason = "patronBlocked" } } }, HttpStatusCode.Accepted);
        await EndToEndHost.EventuallyAsync(() => Task.FromResult(Digests(host, libraryId)), d => d.Count >= 2, Wait, "the first digest");
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/renewal-results", new { results = new[] { new { loanId = "l2", renewed = true, dueAt = DateTimeOffset.UtcNow.AddDays(30) } } }, HttpStatusCode.Accepted);
        var all = await EndToEndHost.EventuallyAsync(() => Task.FromResult(Digests(host, libraryId)), d => d.Count >= 4, Wait, "the second digest");

        var second = all.Where(m => (m.TextBody ?? string.Empty).Contains("Emma", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, second.Count);
        Assert.All(second, m => Assert.DoesNotContain("Dune", m.TextBody, StringComparison.Ordinal));
        Assert.Equal(2, all.Count(m => (m.TextBody ?? string.Empty).Contains("account is blocked", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task BadResults_400WithEveryFieldNamed_NothingApplied_OtherLibrarysKeyIs403()
    {
        var (host, client, libraryId) = await StartAsync();
        var (_, other, _) = await StartAsync();
        var due = DateTimeOffset.UtcNow.AddDays(10);
        await ReservationFlowTests.PostAsync(client, $"/api/libraries/{libraryId}/loans", new { loanId = "l1", patronId = "p1", title = "Dune", dueAt = due }, HttpStatusCode.Created);
        var good = new { loanId = "l1", renewed = true, dueAt = DateTimeOffset.UtcNow.AddDays(30) };

        using var bad = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/renewal-results", Serialize(new
        {
            results = new object[] { good, new { loanId = "l1", renewed = false }, new { loanId = "nope", renewed = true }, new { loanId = "x", renewed = false, reason = "reserved", dueAt = due } },
        })));
        using var unknown = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/renewal-results", Serialize(new { results = new object[] { good, new { loanId = "ghost", renewed = false, reason = "reserved" } } })));
        using var badReason = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/renewal-results", "{\"results\":[{\"loanId\":\"l1\",\"renewed\":false,\"reason\":\"whim\"}]}"));
        using var empty = await client.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/renewal-results", Serialize(new { results = Array.Empty<object>() })));
        using var foreign = await other.SendAsync(Request(HttpMethod.Post, $"/api/libraries/{libraryId}/renewal-results", Serialize(new { results = new[] { good } })));

        await bad.AssertProblemAsync(400, "results[1].loanId", "results[1].reason", "results[2].dueAt", "results[3].dueAt");
        await unknown.AssertProblemAsync(400, "results[1].loanId");
        await badReason.AssertProblemAsync(400);
        await empty.AssertProblemAsync(400, "results");
        await foreign.AssertProblemAsync(403);
        Assert.Equal(due, (await GetLoanAsync(client, libraryId, "l1")).GetProperty("loan").GetProperty("dueAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Empty(Digests(host, libraryId));
    }

    private static List<MimeKit.MimeMessage> Digests(EndToEndHost host, string libraryId) =>
        [.. host.Outbox(libraryId).Where(m => m.Subject!.StartsWith("Your loans were renewed automatically", StringComparison.Ordinal))];

    private static async Task<JsonElement> GetLoanAsync(HttpClient client, string libraryId, string loanId)
    {
        using var response = await client.GetAsync($"/api/libraries/{libraryId}/loans/{loanId}");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<(EndToEndHost Host, HttpClient Client, string LibraryId)> StartAsync()
    {
        var host = await EndToEndHost.GetAsync(emulators);
        var libraryId = $"ren-{Guid.NewGuid():N}"[..20];
        return (host, await host.CreateLibraryAsync(Samples.Library(libraryId), Samples.Patron("p1"), Samples.Patron("p2")), libraryId);
    }
}
