using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Comms.Libraries;
using Comms.Tests.Delivery;
using Comms.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Comms.Tests.EndToEnd;

/// <summary>
/// Issue #20: the email provider is down (every SendEmail answered 503 by a real HTTP proxy in front of
/// aws-ses-v2-local) while a library system posts checkouts to the dev host (its own process, real durable
/// engine and storage queues). Every post must be answered 201 at once, every receipt delivered exactly once after
/// the provider recovers, and a password reset queued during the outage either goes while its link is valid or is
/// logged as expired, never sent stale. Size: COMMS_OUTAGE_CHECKOUTS (default 100) and COMMS_OUTAGE_SECONDS
/// (default 30 in CI; the figure is 120). Latency figures print in the output; they are not asserted.
/// A second, smaller run does the same for a check-in and a payment posted while SES is down.
/// </summary>
[Collection(DevHostRunCollection.Name)]
public sealed class ProviderOutageTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private static readonly int Checkouts = Setting("COMMS_OUTAGE_CHECKOUTS", 100);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(Setting("COMMS_OUTAGE_SECONDS", 30));
    private static readonly TimeSpan MinLinkValidity = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ProviderDownWhileCheckoutsArePosted_EveryPostAnswered_EveryReceiptOnceAfterRecovery_ResetsNeverStale()
    {
        // Arrange: SES down from its first request for the outage; the dev host sends through the proxy.
        var clock = Stopwatch.StartNew();
        await using var proxy = await SesFaultProxy.StartAsync(emulators.SesEndpoint, new SesFaultPlan
        {
            StormAfterRequests = int.MaxValue,
            StormLength = TimeSpan.Zero,
            DownAfterRequests = 1,
            DownLength = Outage,
            TransientPercent = 0,
            RequestLostPercent = 0,
        });
        var settings = DevHostProcess.Settings(emulators);
        settings["Comms:Email:Ses:ServiceUrl"] = proxy.Endpoint.ToString();
        settings["Comms:Email:Ses:TimeoutSeconds"] = "10";
        settings["Comms:Email:Ses:MessagesPerSecond"] = "50";
        settings["Comms:Email:Retry:MaxAttempts"] = "3";
        // Real days: no ladder step falls in the run, so the receipts are the only loan mail.
        settings["Comms:Circulation:DayLength"] = "1.00:00:00";
        settings["Comms:Outbox:FirstRetryDelay"] = "00:00:05";
        settings["Comms:Outbox:MaxRetryDelay"] = "00:00:15";
        settings["Comms:Outbox:MinLinkValidity"] = MinLinkValidity.ToString("c", CultureInfo.InvariantCulture);
        await using var host = await DevHostProcess.StartAsync(settings);
        var library = await E2eLibrary.CreateAsync(host, emulators.SesEndpoint, new NoticeTiming());
        var patrons = Enumerable.Range(0, Checkouts).Select(i => $"p{i:0000}").ToArray();
        await Parallel.ForEachAsync(patrons, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (p, _) => await library.AddPatronAsync(p));

        // Act: the first post opens the outage; the rest, and two resets, are posted while it lasts.
        var latencies = new ConcurrentBag<double>();
        var receipts = new ConcurrentDictionary<string, string>();
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var outageStarted = Stopwatch.StartNew();
        await PostCheckoutAsync(library, patrons[0], 0, latencies, receipts, statuses);
        var resetsAt = DateTimeOffset.UtcNow;
        // Its link's deadline (expiry less MinLinkValidity) falls inside the outage: it must end expired.
        var doomed = await ResetAsync(library, "doomed", resetsAt + (Outage / 2) + MinLinkValidity);
        // Valid well past the outage: it must be sent once the provider is back.
        var lasting = await ResetAsync(library, "lasting", resetsAt + Outage + TimeSpan.FromMinutes(10));
        await Parallel.ForEachAsync(Enumerable.Range(1, Checkouts - 1), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await PostCheckoutAsync(library, patrons[i], i, latencies, receipts, statuses));
        var postsTook = outageStarted.Elapsed;
        var final = await E2eLibrary.EventuallyAsync(
            () => FinalStatusesAsync(library, [.. receipts.Values, doomed, lasting]),
            s => s.Count == receipts.Count + 2,
            Outage + TimeSpan.FromMinutes(5),
            s => $"{s.Count} of {receipts.Count + 2} notices final");
        var recoveredAfter = outageStarted.Elapsed;
        var mail = await library.SesEmailsAsync();

        // Report
        var sorted = latencies.Order().ToArray();
        output.WriteLine($"checkouts {Checkouts} posted in {postsTook.TotalSeconds:0.0} s during a {Outage.TotalSeconds:0} s outage; answers: "
            + string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{(int)g.Key} x{g.Count()}")));
        output.WriteLine($"post latency ms: p50 {Percentile(sorted, 50):0} p95 {Percentile(sorted, 95):0} p99 {Percentile(sorted, 99):0} max {sorted[^1]:0}");
        output.WriteLine($"proxy SendEmail requests {proxy.Requests}: " + string.Join(", ", proxy.Counts.Select(kv => $"{kv.Key} {kv.Value}")));
        output.WriteLine($"every notice final {recoveredAfter.TotalSeconds:0} s after the outage began; receipts by attempts: "
            + string.Join(", ", receipts.Values.Select(h => final[h].Attempts).GroupBy(a => a).OrderBy(g => g.Key).Select(g => $"{g.Key} attempt(s) x{g.Count()}")));
        output.WriteLine($"reset (deadline inside the outage): {final[doomed].Status}; reset (valid past it): {final[lasting].Status}; wall {clock.Elapsed.TotalSeconds:0} s");

        // Assert: no post failed or waited on the provider's answer.
        Assert.Equal(Checkouts, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        // The outage really hit the receipts, and every one was delivered after it, once.
        Assert.True(proxy.Counts.GetValueOrDefault(SesFault.ProviderDown) >= Checkouts / 2, "the outage barely touched the receipts");
        Assert.All(receipts.Values, h => Assert.Equal("sent", final[h].Status));
        Assert.Contains(receipts.Values, h => final[h].Attempts > 1);
        var receiptMail = mail.Where(m => m.Subject.StartsWith("Your loan receipt", StringComparison.Ordinal)).ToList();
        Assert.Equal(patrons.Select(library.Address).Order(StringComparer.Ordinal), receiptMail.Select(m => m.To.Single()).Order(StringComparer.Ordinal));
        // Resets: the doomed one is logged expired and never reached SES; the lasting one went while valid.
        var resetMail = mail.Where(m => m.Subject.StartsWith("Reset your", StringComparison.Ordinal)).ToList();
        Assert.Equal("expired", final[doomed].Status);
        Assert.Equal("sent", final[lasting].Status);
        var sentReset = Assert.Single(resetMail);
        Assert.Contains("token=lasting", sentReset.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(mail, m => (m.Text ?? string.Empty).Contains("token=doomed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProviderDown_CheckInAndPaymentPosts_AnsweredAtOnce_NoticesSentOnceAfterRecovery()
    {
        // Arrange: SES down from the first SendEmail (the checkout receipt's) for 20 s.
        await using var proxy = await SesFaultProxy.StartAsync(emulators.SesEndpoint, new SesFaultPlan
        {
            StormAfterRequests = int.MaxValue,
            StormLength = TimeSpan.Zero,
            DownAfterRequests = 1,
            DownLength = TimeSpan.FromSeconds(20),
            TransientPercent = 0,
            RequestLostPercent = 0,
        });
        var settings = DevHostProcess.Settings(emulators);
        settings["Comms:Email:Ses:ServiceUrl"] = proxy.Endpoint.ToString();
        settings["Comms:Email:Ses:TimeoutSeconds"] = "10";
        settings["Comms:Email:Retry:MaxAttempts"] = "3";
        settings["Comms:Circulation:DayLength"] = "1.00:00:00";
        settings["Comms:Outbox:FirstRetryDelay"] = "00:00:05";
        settings["Comms:Outbox:MaxRetryDelay"] = "00:00:10";
        await using var host = await DevHostProcess.StartAsync(settings);
        var library = await E2eLibrary.CreateAsync(host, emulators.SesEndpoint, new NoticeTiming());
        await library.AddPatronAsync("p1");
        var loan = await library.SendAsync(HttpMethod.Post, "loans", new { loanId = "L1", patronId = "p1", title = "Dune", dueAt = DateTimeOffset.UtcNow.AddDays(21) }, HttpStatusCode.Created);
        await E2eLibrary.EventuallyAsync(() => Task.FromResult(proxy.Requests), n => n >= 1, TimeSpan.FromSeconds(60), n => $"{n} SES requests (the outage opens with the first)");

        // Act: the desk checks the book in and takes a payment while SES answers every request 503.
        var watch = Stopwatch.StartNew();
        var checkIn = await library.SendAsync(HttpMethod.Post, "check-ins", new { patronId = "p1", loanIds = new[] { "L1" } }, HttpStatusCode.Accepted);
        var checkInTook = watch.Elapsed;
        watch.Restart();
        var payment = await library.SendAsync(HttpMethod.Post, "patrons/p1/payments", new { paymentId = "pay-1", amount = 4.5m, paidAt = DateTimeOffset.UtcNow, loanIds = new[] { "L1" } }, HttpStatusCode.Accepted);
        var paymentTook = watch.Elapsed;
        var downWhilePosted = proxy.Counts.GetValueOrDefault(SesFault.ProviderDown);
        var hrefs = new[] { checkIn.GetProperty("receipt").GetProperty("href").GetString()!, payment.GetProperty("notice").GetProperty("href").GetString()! };
        var loanReceipt = loan.GetProperty("receipt").GetProperty("href").GetString()!;
        var final = await E2eLibrary.EventuallyAsync(() => FinalStatusesAsync(library, [.. hrefs, loanReceipt]), s => s.Count == hrefs.Length + 1, TimeSpan.FromMinutes(3), s => $"{s.Count} of {hrefs.Length + 1} notices final");
        var mail = await library.SesEmailsAsync();
        output.WriteLine($"check-in answered in {checkInTook.TotalMilliseconds:0} ms, payment in {paymentTook.TotalMilliseconds:0} ms; proxy: "
            + string.Join(", ", proxy.Counts.Select(kv => $"{kv.Key} {kv.Value}")));

        // Assert: both answered 202 with a queued notice while the provider was down, and each went once after it.
        Assert.True(downWhilePosted >= 1, "the provider was not down while the posts were answered");
        Assert.Equal("queued", checkIn.GetProperty("receipt").GetProperty("status").GetString());
        Assert.Equal("queued", payment.GetProperty("notice").GetProperty("status").GetString());
        Assert.All(hrefs, h => Assert.Equal("sent", final[h].Status));
        Assert.Contains(hrefs, h => final[h].Attempts > 1);
        Assert.Single(mail, m => m.Subject.StartsWith("Your check-in receipt", StringComparison.Ordinal));
        Assert.Single(mail, m => m.Subject.StartsWith("Payment received", StringComparison.Ordinal));
        Assert.Single(mail, m => m.Subject.StartsWith("Your loan receipt", StringComparison.Ordinal));
    }

    private static async Task PostCheckoutAsync(E2eLibrary library, string patronId, int i, ConcurrentBag<double> latencies, ConcurrentDictionary<string, string> receipts, ConcurrentBag<HttpStatusCode> statuses)
    {
        var body = new { loanId = $"L{i:0000}", patronId, title = $"Book {i}", dueAt = DateTimeOffset.UtcNow.AddDays(21) };
        var watch = Stopwatch.StartNew();
        var (status, text) = await library.TrySendAsync(HttpMethod.Post, "loans", body);
        latencies.Add(watch.Elapsed.TotalMilliseconds);
        statuses.Add(status);
        Assert.True(status == HttpStatusCode.Created, $"loan {i}: {(int)status} {text}");
        receipts[patronId] = JsonDocument.Parse(text).RootElement.GetProperty("receipt").GetProperty("href").GetString()!;
    }

    private static async Task<string> ResetAsync(E2eLibrary library, string token, DateTimeOffset expiresAt)
    {
        var answer = await library.SendAsync(HttpMethod.Post, "password-resets",
            new { patronId = "p0000", resetLink = $"https://opac.example.org/reset?token={token}", expiresAt }, HttpStatusCode.Accepted);
        return answer.GetProperty("href").GetString()!;
    }

    /// <summary>Status and attempt count of every notice that reached an end state.</summary>
    private static async Task<Dictionary<string, (string Status, int Attempts)>> FinalStatusesAsync(E2eLibrary library, IReadOnlyList<string> hrefs)
    {
        var found = new ConcurrentDictionary<string, (string, int)>();
        await Parallel.ForEachAsync(hrefs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (href, _) =>
        {
            var status = await library.SendAsync(HttpMethod.Get, href[$"/api/libraries/{library.Id}/".Length..], null, HttpStatusCode.OK);
            var state = status.GetProperty("status").GetString()!;
            if (state is not ("queued" or "sending"))
            {
                found[href] = (state, status.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("number").GetInt32()).DefaultIfEmpty(0).Max());
            }
        });
        return new Dictionary<string, (string, int)>(found);
    }

    private static double Percentile(double[] sorted, int p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;
}
