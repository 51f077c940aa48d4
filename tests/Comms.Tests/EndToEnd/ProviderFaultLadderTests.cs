using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Comms.Delivery;
using Comms.Libraries;
using Comms.Tests.Delivery;
using Comms.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Comms.Tests.EndToEnd;

/// <summary>
/// Issue #12 item 3: loans through the whole ladder on the real durable engine (the dev host as its own
/// process) while a real HTTP proxy between the app's SES client and aws-ses-v2-local misbehaves: about 20%
/// of attempts answered 500/503, some held until the client times out, a 429 storm with Retry-After, and a
/// window in which SES is down and the app must fail over to the pickup folder. Every notice must arrive
/// exactly once (SES or the failover), end as one Sent row in the email log naming the provider and message
/// that carried it, and every request the proxy saw must be an attempt row in the log.
/// The run's size is COMMS_FAULT_LOANS (default 200, about three minutes on 2 cores); the issue's figure is
/// `COMMS_FAULT_LOANS=500 dotnet test tests/Comms.Tests --filter FullyQualifiedName~ProviderFaultLadderTests`.
/// </summary>
[Collection(DevHostRunCollection.Name)]
public sealed class ProviderFaultLadderTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private static readonly int Loans = int.TryParse(Environment.GetEnvironmentVariable("COMMS_FAULT_LOANS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 200;

    // Pre-overdue 2 days before due, overdue 1 day after, one escalation 2 days after: three notices a loan,
    // plus the receipt every checkout sends at once. One day is one second.
    private static readonly NoticeTiming Ladder = new() { PreOverdueDaysBefore = 2, OverdueGraceDays = 1, EscalationDaysAfterDue = [2] };
    private static readonly (string Scenario, string SubjectStart)[] Notices =
        [("loan-receipt", "Your loan receipt"), ("pre-overdue", "Due soon: "), ("overdue", "Overdue library items for "), ("escalation-1", "Reminder 1: ")];

    // Due this long after the loan is posted: the pre-overdue step (2 s before due) should still lie ahead
    // when the app plans the loan. A post held up longer on a loaded machine stores a loan whose pre-overdue
    // time has passed: its ladder rightly starts at the overdue step, and the tally expects no pre-overdue.
    private static readonly TimeSpan DueAfter = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PreOverdueBefore = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task FullLadder_TransientsStormTimeoutsPrimaryDown_EveryNoticeOnceAndSentInLog()
    {
        // Arrange: the proxy in front of the SES emulator, the dev host sending through it, one reader per loan.
        var clock = Stopwatch.StartNew();
        var requests = Loans * Notices.Length;
        await using var proxy = await SesFaultProxy.StartAsync(emulators.SesEndpoint, new SesFaultPlan
        {
            // Storm and outage start among the sends, about a quarter and a half of the way through. The storm
            // outlasts one run's five attempts for notices caught at its start (the activity retry takes them);
            // the outage outlasts them for most, which is what makes the app fail over.
            StormAfterRequests = requests * 3 / 10,
            StormLength = TimeSpan.FromSeconds(8),
            StormRefusalsToEnd = new RetryOptions().MaxAttempts,
            DownAfterRequests = requests * 6 / 10,
            DownLength = TimeSpan.FromSeconds(10),
        });
        var settings = DevHostProcess.Settings(emulators);
        settings["Comms:Email:Ses:ServiceUrl"] = proxy.Endpoint.ToString();
        // Shorter than the proxy's hold (which never answers), long enough that a forwarded request always
        // comes back in time on a loaded machine: a reply lost to the timeout would be a genuine duplicate.
        settings["Comms:Email:Ses:TimeoutSeconds"] = "5";
        // The point here is faults, not the account quota: 14/s would make the run mostly waiting in the bucket.
        settings["Comms:Email:Ses:MessagesPerSecond"] = "50";
        settings["Comms:Email:FailoverProvider"] = ProviderNames.Pickup;
        // Nothing is killed in this test, and an activity retrying through held requests runs longer than the
        // 10 s the crash tests use; the sidecar does not renew activity locks, so a shorter visibility timeout
        // would run the same activity twice at once (Azure renews them; its default is 5 minutes).
        settings["DevHost:Durable:QueueVisibilityTimeout"] = "00:02:00";
        // Receipts go through the outbox: retried every few seconds here, so the tally below sees them all.
        settings["Comms:Outbox:FirstRetryDelay"] = "00:00:02";
        settings["Comms:Outbox:MaxRetryDelay"] = "00:00:10";
        var pickup = settings["Comms:Email:Pickup:Directory"]!;
        await using var host = await DevHostProcess.StartAsync(settings);
        var library = await E2eLibrary.CreateAsync(host, emulators.SesEndpoint, Ladder);
        var patrons = Enumerable.Range(0, Loans).Select(PatronId).ToArray();
        await Parallel.ForEachAsync(patrons, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (p, _) => await library.AddPatronAsync(p));

        // Act: post every loan (four at a time) and wait until every ladder has been through its last step.
        using var gate = new SemaphoreSlim(4);
        var receipts = new ConcurrentBag<string>();
        var deferred = (await Task.WhenAll(Enumerable.Range(0, Loans).Select(i => IssueAsync(host, library, i, gate, receipts)))).Sum();
        var outcomes = new ConcurrentDictionary<string, string[]>();
        var lateLoans = new ConcurrentDictionary<string, bool>();
        try
        {
            await E2eLibrary.EventuallyAsync(() => LaddersThroughAsync(library, outcomes, lateLoans), o => o.Count == Loans, TimeSpan.FromMinutes(10), o => $"{o.Count} of {Loans} ladders through");
        }
        catch (TimeoutException)
        {
            // Which loans are stuck and where: their loan view (runtime status, steps sent), then the host's last lines.
            foreach (var id in Enumerable.Range(0, Loans).Select(LoanId).Where(id => !outcomes.ContainsKey(id)).Take(10))
            {
                output.WriteLine($"{id}: {await library.SendAsync(HttpMethod.Get, $"loans/{id}", null, HttpStatusCode.OK)}");
            }

            output.WriteLine(host.Output);
            throw;
        }

        var expected = Enumerable.Range(0, Loans)
            .SelectMany(i => Notices.Where(s => s.Scenario != "pre-overdue" || !lateLoans.ContainsKey(LoanId(i))).Select(s => new ExpectedNotice(library.Address(PatronId(i)), s.Scenario)))
            .ToHashSet();
        var receiptsDone = new ConcurrentDictionary<string, string>();
        await E2eLibrary.EventuallyAsync(() => ReceiptsFinalAsync(library, receipts, receiptsDone), d => d.Count == Loans, TimeSpan.FromMinutes(5), d => $"{d.Count} of {Loans} receipts final");
        var mail = await library.SesEmailsAsync();
        var delivered = DeliveryTally.FromSes(mail, Notices).Concat(DeliveryTally.FromPickup(pickup, Notices)).ToList();
        var log = (await library.LogAsync(status: null)).Select(LogRow.From).ToList();
        var tally = new DeliveryTally(expected, delivered, log);
        var sesCalls = log.Count(r => r.Provider == ProviderNames.Ses && r.IsProviderCall);
        var pickupSent = log.Count(r => r.Provider == ProviderNames.Pickup && r.Is("Sent"));
        var viaFailover = delivered.Count(d => d.Provider == ProviderNames.Pickup);
        // A run that used up its attempts without delivering ends in a Failed row not marked "(retrying)"; the
        // notice then waits for the activity's retry (or the library system's repeat of a 503'd post).
        var gaveUp = log.Count(r => r.Is("Failed") && r.Reason?.EndsWith("(retrying)", StringComparison.Ordinal) == false);

        output.WriteLine($"loans {Loans}; notices expected {expected.Count} ({Loans} receipts + {expected.Count - Loans} ladder notices; {lateLoans.Count} loans stored after their pre-overdue time); loan posts answered 503 and retried {deferred}");
        output.WriteLine($"proxy SendEmail requests {proxy.Requests}: " + string.Join(", ", Enum.GetValues<SesFault>().Select(f => $"{f} {proxy.Counts.GetValueOrDefault(f)}"))
            + $"; replies lost to the client timeout {proxy.RepliesLost.Count}; holds never given up {proxy.HoldsExpired}; other requests {proxy.Unexpected}");
        output.WriteLine($"delivered via SES {mail.Count}, via failover (pickup) {viaFailover}; duplicates {tally.Duplicated.Count}; lost {tally.Lost.Count}; unexpected {tally.Unexpected.Count}");
        output.WriteLine("email log rows " + log.Count + ": " + string.Join(", ", log.GroupBy(r => $"{r.Status}/{r.Provider}").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))
            + $"; SES attempt rows {sesCalls}; runs that gave up for a later retry {gaveUp}");
        output.WriteLine($"ladder step outcomes: " + string.Join(", ", outcomes.Values.SelectMany(o => o).GroupBy(o => o).Select(g => $"{g.Key} {g.Count()}")));
        output.WriteLine($"wall time {clock.Elapsed.TotalSeconds:0} s");
        foreach (var problem in tally.LogProblems.Take(20))
        {
            output.WriteLine(problem);
        }

        // Assert: every kind of fault really happened, or this run proved nothing about it.
        Assert.All(Enum.GetValues<SesFault>(), f => Assert.True(proxy.Counts.GetValueOrDefault(f) > 0, $"no {f} was injected"));
        Assert.True(viaFailover > 0, "nothing failed over while SES was down");
        Assert.True(gaveUp > 0, "no notice outlasted its in-process retries, so the later retry went untested");
        // A reply lost after SES accepted is a duplicate by design (SES has no idempotency key, docs/delivery.md).
        // The timeout is set so that none happens; if one does, this names it before the duplicate count fails.
        Assert.True(proxy.RepliesLost.IsEmpty, "SES accepted requests whose reply came after the app's timeout: " + string.Join("; ", proxy.RepliesLost));
        Assert.Equal(0, proxy.HoldsExpired);
        Assert.Equal(0, proxy.Unexpected);

        Assert.Empty(tally.Lost);
        Assert.Empty(tally.Duplicated);
        Assert.Empty(tally.Unexpected);
        Assert.Empty(tally.LogProblems);
        Assert.All(outcomes.Values.SelectMany(o => o), o => Assert.Equal("sent", o));

        // Exact accounting: every request the proxy saw, held ones included (the app logs its timeout as a
        // failed attempt), is one Sent or Failed SES row; every forwarded one is a message in SES; every
        // failover send is a file in the pickup folder.
        Assert.Equal(proxy.Requests, sesCalls);
        Assert.Equal(proxy.Counts.GetValueOrDefault(SesFault.Forwarded), mail.Count);
        Assert.Equal(viaFailover, pickupSent);
    }

    private static string PatronId(int i) => $"p{i:0000}";

    private static string LoanId(int i) => $"L{i:0000}";

    /// <summary>
    /// Posts one loan as a library system would: a 503 (an earlier post's start may still be queued) is retried after
    /// its Retry-After, and the repeat starts nothing new. Collects the receipt's status link. Returns how many times
    /// it was answered 503 (the receipt is queued, so the provider's faults never cause one).
    /// </summary>
    private static async Task<int> IssueAsync(DevHostProcess host, E2eLibrary library, int i, SemaphoreSlim gate, ConcurrentBag<string> receipts)
    {
        object? body = null;
        for (var attempt = 0; ; attempt++)
        {
            TimeSpan retryAfter;
            await gate.WaitAsync();
            try
            {
                // Due a fixed time after the first post, so the ladder starts ahead whatever the queue at the gate.
                body ??= new { loanId = LoanId(i), patronId = PatronId(i), title = $"Book {i}", dueAt = DateTimeOffset.UtcNow + DueAfter };
                using var response = await host.Http.SendAsync(ApiClient.Request(HttpMethod.Post, $"/api/libraries/{library.Id}/loans", body, libraryKey: library.Key));
                if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                {
                    var answer = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                    receipts.Add(answer.GetProperty("receipt").GetProperty("href").GetString()!);
                    return attempt;
                }

                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 10, $"loan {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                retryAfter = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(5);
            }
            finally
            {
                gate.Release();
            }

            await Task.Delay(retryAfter);
        }
    }

    /// <summary>Adds each receipt notice that reached an end state, with that state; one once final stays so.</summary>
    private static async Task<ConcurrentDictionary<string, string>> ReceiptsFinalAsync(E2eLibrary library, IEnumerable<string> hrefs, ConcurrentDictionary<string, string> done)
    {
        await Parallel.ForEachAsync(hrefs.Where(h => !done.ContainsKey(h)), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (href, _) =>
        {
            var status = (await library.SendAsync(HttpMethod.Get, href[$"/api/libraries/{library.Id}/".Length..], null, HttpStatusCode.OK)).GetProperty("status").GetString()!;
            if (status is not ("queued" or "sending"))
            {
                done[href] = status;
            }
        });
        return done;
    }

    /// <summary>
    /// Adds the step outcomes of each loan whose ladder is through its steps (three, or two for a loan stored after its
    /// pre-overdue time, noted in <paramref name="late"/>); a loan once through stays so.
    /// </summary>
    private static async Task<ConcurrentDictionary<string, string[]>> LaddersThroughAsync(E2eLibrary library, ConcurrentDictionary<string, string[]> through, ConcurrentDictionary<string, bool> late)
    {
        var pending = Enumerable.Range(0, Loans).Select(LoanId).Where(id => !through.ContainsKey(id));
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (id, _) =>
        {
            var loan = await library.SendAsync(HttpMethod.Get, $"loans/{id}", null, HttpStatusCode.OK);
            var stored = loan.GetProperty("loan");
            var lateStart = stored.GetProperty("issuedAt").GetDateTimeOffset() > stored.GetProperty("dueAt").GetDateTimeOffset() - PreOverdueBefore;
            var steps = Notices.Length - 1 - (lateStart ? 1 : 0);
            if (loan.TryGetProperty("notices", out var notices) && notices.TryGetProperty("sent", out var sent) && sent.GetArrayLength() == steps)
            {
                if (lateStart)
                {
                    late[id] = true;
                }

                through[id] = [.. sent.EnumerateArray().Select(s => s.GetProperty("outcome").GetString() ?? "?")];
            }
        });
        return through;
    }
}
