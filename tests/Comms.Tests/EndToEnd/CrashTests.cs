using System.Net;
using Comms.Libraries;
using Comms.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Comms.Tests.EndToEnd;

/// <summary>
/// 200 loans through a seconds-long ladder while the dev host process is killed with SIGKILL three times at
/// random points (the first while the loans are being posted) and restarted. Every notice must reach SES, and exactly once — except that SES is
/// at-least-once for a crash between its accept and the ledger write (docs/delivery.md, "crash window"):
/// such a duplicate is counted, reported and must be one of those, never a notice the log shows sent twice.
/// </summary>
[Collection(DevHostRunCollection.Name)]
public sealed class CrashTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    // 200 in CI; COMMS_CRASH_LOANS=500 for the reliability suite's long run (docs/reliability.md).
    private static readonly int Loans = int.TryParse(Environment.GetEnvironmentVariable("COMMS_CRASH_LOANS"), out var n) && n is > 0 and <= 1000 ? n : 200;
    private const int Kills = 3;

    // A receipt and three ladder steps per loan, all to the patron: 800 notices for 200 loans.
    private static readonly NoticeTiming Ladder = new() { PreOverdueDaysBefore = 2, OverdueGraceDays = 1, EscalationDaysAfterDue = [2] };
    private const int LadderSteps = 3;

    // What each loan sends, by subject: its checkout receipt at once, then the three ladder steps.
    private static readonly string[] Steps = ["Your loan receipt", "Due soon: ", "Overdue library items for ", "Reminder 1: "];

    [Fact]
    public async Task DevHost_KilledThreeTimesMidLadder_EveryNoticeSentNoneLost()
    {
        var settings = DevHostProcess.Settings(emulators);
        // A claim left by a killed process is taken over after 5 s instead of 2 minutes, so the run is not
        // spent waiting for leases (the default also fits the activity retry budget, see ActivityRetry).
        settings["Comms:Email:ClaimLeaseSeconds"] = "5";
        // Likewise a queued receipt a kill cut off mid-attempt: its queue message comes back after a minute and
        // takes the notice over once this lease has ended.
        settings["Comms:Outbox:AttemptLease"] = "00:00:10";
        await using var host = await DevHostProcess.StartAsync(settings);
        var library = await E2eLibrary.CreateAsync(host, emulators.SesEndpoint, Ladder);
        var patrons = Enumerable.Range(0, Loans).Select(i => $"p{i:000}").ToArray();
        await Parallel.ForEachAsync(patrons, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (p, _) => await library.AddPatronAsync(p));
        var expected = patrons.SelectMany(p => Steps.Select(s => (To: library.Address(p), Step: s))).ToHashSet();

        // Each loan is due 15-35 s after it is posted (so its first step comes after the post is stored, even on a
        // loaded machine): notices flow from the first post to well after the last. The first kill comes in the
        // middle of the posts (posts in flight, starts queued, first episodes running); a post it cuts off is
        // retried with the same body, as the library system would. The other two come in each half of what is then
        // left to send, among timers firing, activities running, sends and retried posts in flight.
        var random = new Random();
        var posted = 0;
        var retried = 0;
        var issuing = Task.Run(async () =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, Loans), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            {
                if (await IssueWithRetryAsync(library, new { loanId = $"L{i:000}", patronId = patrons[i], title = $"Book {i}", dueAt = DateTimeOffset.UtcNow.AddSeconds(15 + (i % 20)) }) > 1)
                {
                    Interlocked.Increment(ref retried);
                }

                Interlocked.Increment(ref posted);
            });
            return clock.Elapsed;
        });

        var postThreshold = random.Next(Loans / 4, Loans * 3 / 4);
        await E2eLibrary.EventuallyAsync(() => Task.FromResult(Volatile.Read(ref posted)), n => n >= postThreshold, TimeSpan.FromMinutes(4), n => $"{n} of {postThreshold} loans posted before kill 1");
        await KillAndRestartAsync(1, $"after {Volatile.Read(ref posted)} of {Loans} loans posted");

        // The other kills do not wait for the posts: those the first kill cut off may be held back by the start grace.
        var issued = (await library.SesEmailsAsync()).Count;
        var remaining = expected.Count - issued;
        for (var k = 1; k < Kills; k++)
        {
            // One kill in each half of what is left to send, at a random point within it.
            var threshold = issued + (remaining * (k - 1) / (Kills - 1)) + random.Next(remaining / ((Kills - 1) * 4), remaining * 3 / ((Kills - 1) * 4));
            var before = await E2eLibrary.EventuallyAsync(library.SesEmailsAsync, m => m.Count >= threshold, TimeSpan.FromMinutes(4), m => $"{m.Count} of {threshold} emails before kill {k + 1}");
            await KillAndRestartAsync(k + 1, $"after {before.Count} emails, {Volatile.Read(ref posted)} loans posted");
        }

        output.WriteLine($"{Loans} loans issued in {(await issuing).TotalSeconds:0.0} s; {retried} posts cut off by a kill and retried");

        async Task KillAndRestartAsync(int kill, string when)
        {
            await host.KillAsync();
            var atKill = (await library.SesEmailsAsync()).Count;
            var stopped = DateTime.UtcNow;
            await host.StartAsync();
            output.WriteLine($"kill {kill}: {when} ({atKill} emails once dead), restarted in {(DateTime.UtcNow - stopped).TotalSeconds:0.0} s");
        }

        // Done when every loan has been through its last step: then nothing more can be sent.
        var late = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await E2eLibrary.EventuallyAsync(() => LaddersDoneAsync(library, late), done => done == Loans, TimeSpan.FromMinutes(5), done => $"{done} of {Loans} ladders done");
        }
        catch (TimeoutException)
        {
            foreach (var line in await LadderStatesAsync(library))
            {
                output.WriteLine(line);
            }

            output.WriteLine(host.Output);
            throw;
        }

        var lateAddresses = late.Select(library.Address).ToHashSet(StringComparer.Ordinal);
        expected.RemoveWhere(e => e.Step == Steps[1] && lateAddresses.Contains(e.To));
        output.WriteLine($"{late.Count} loans stored after their pre-overdue time (no pre-overdue expected)");

        // The receipts go through the outbox: one a kill interrupted is retried when its message comes back.
        try
        {
            await E2eLibrary.EventuallyAsync(
                library.SesEmailsAsync,
                m => expected.All(e => m.Any(x => x.To.Length == 1 && x.To[0] == e.To && x.Subject.StartsWith(e.Step, StringComparison.Ordinal))),
                TimeSpan.FromMinutes(3),
                m => $"{m.Count} emails");
        }
        catch (TimeoutException)
        {
            // The assertions below say which are missing.
        }

        var mail = await library.SesEmailsAsync();
        var log = await library.LogAsync();

        var unexpected = mail.Where(m => m.To.Count() != 1 || !Steps.Any(s => m.Subject.StartsWith(s, StringComparison.Ordinal))).ToList();
        foreach (var m in unexpected.Take(10))
        {
            output.WriteLine($"unexpected email: to {string.Join(", ", m.To)} bcc {string.Join(", ", m.Bcc)} subject '{m.Subject}'");
        }

        Assert.Empty(unexpected);
        var perNotice = mail.GroupBy(m => (To: m.To.Single(), Step: Steps.Single(s => m.Subject.StartsWith(s, StringComparison.Ordinal)))).ToList();
        var lost = expected.Except(perNotice.Select(g => g.Key)).ToList();
        var duplicated = perNotice.Where(g => g.Count() > 1).ToList();
        var logged = log.Select(r => r.GetProperty("providerMessageId").GetString()).ToHashSet();
        // A crash-window duplicate: SES accepted a copy the ledger never recorded, so only the re-send is in the log.
        var crashWindow = duplicated.Count(g => g.Count(m => logged.Contains(m.MessageId)) == 1);
        output.WriteLine($"expected {expected.Count} notices; SES stored {mail.Count} emails for {perNotice.Count} notices; "
            + $"lost {lost.Count}; duplicated {duplicated.Count} (extra copies {mail.Count - perNotice.Count}), of which in the crash window {crashWindow}; "
            + $"email log Sent rows {log.Count} for {log.Select(r => r.GetProperty("noticeId").GetString()).Distinct().Count()} notice ids");

        Assert.Equal(Kills + 1, host.Starts);
        Assert.Empty(lost);
        Assert.Equal(expected.Count, perNotice.Count);
        Assert.Equal(duplicated.Count, crashWindow);
        // Every notice has exactly one Sent row, also when the kill fell between the ledger and log writes.
        Assert.Equal(log.Count, log.Select(r => r.GetProperty("noticeId").GetString()).Distinct().Count());
        Assert.Equal(expected.Count, log.Count);
    }

    /// <summary>
    /// Posts the loan until the dev host answers 201, or 200 when an attempt a kill cut short had stored and started
    /// it; returns the number of attempts. While the host is down or restarting the post fails to connect; a 503
    /// asks to come back later (the loan was stored less than the start grace ago, or a send the receipt needs is
    /// held by the killed process's claim). Anything else is a failure.
    /// </summary>
    private static async Task<int> IssueWithRetryAsync(E2eLibrary library, object loan)
    {
        for (var attempt = 1; attempt <= 360; attempt++)
        {
            try
            {
                var (status, body) = await library.TrySendAsync(HttpMethod.Post, "loans", loan);
                if (status is HttpStatusCode.Created or HttpStatusCode.OK)
                {
                    return attempt;
                }

                Assert.True(status == HttpStatusCode.ServiceUnavailable, $"POST loans: {status} {body}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening: killed, or not restarted yet.
            }

            await Task.Delay(500);
        }

        Assert.Fail("The loan could not be posted within three minutes.");
        return 0;
    }

    /// <summary>What the unfinished ladders look like, grouped: for a failure message.</summary>
    private static async Task<IEnumerable<string>> LadderStatesAsync(E2eLibrary library)
    {
        var states = new List<string>();
        for (var i = 0; i < Loans; i++)
        {
            var loan = await library.SendAsync(HttpMethod.Get, $"loans/L{i:000}", null, HttpStatusCode.OK);
            states.Add(loan.ToString());
        }

        return states.Select(Shape).GroupBy(s => s).Select(g => $"{g.Count()} x {g.Key}");

        static string Shape(string json) => System.Text.RegularExpressions.Regex.Replace(json, "\\d{4}-\\d{2}-\\d{2}T[^\"]*|L\\d{3}|p\\d{3}|Book \\d+", "*");
    }

    /// <summary>
    /// How many ladders are through their steps: three, or two for a loan stored after its pre-overdue time (a post
    /// a kill held up past it: that ladder rightly starts at the overdue step), whose patron goes in <paramref name="late"/>.
    /// </summary>
    private static async Task<int> LaddersDoneAsync(E2eLibrary library, HashSet<string> late)
    {
        var done = 0;
        late.Clear();
        for (var i = 0; i < Loans; i++)
        {
            var loan = await library.SendAsync(HttpMethod.Get, $"loans/L{i:000}", null, HttpStatusCode.OK);
            var stored = loan.GetProperty("loan");
            var lateStart = stored.GetProperty("issuedAt").GetDateTimeOffset() > stored.GetProperty("dueAt").GetDateTimeOffset() - TimeSpan.FromSeconds(Ladder.PreOverdueDaysBefore);
            // Running: the ladder waits for the return; a broken instance (e.g. started twice) shows otherwise.
            if (loan.TryGetProperty("notices", out var notices) && notices.TryGetProperty("sent", out var sent) && sent.GetArrayLength() == LadderSteps - (lateStart ? 1 : 0)
                && loan.GetProperty("runtimeStatus").GetString() == "Running")
            {
                done++;
                if (lateStart)
                {
                    late.Add(stored.GetProperty("patronId").GetString()!);
                }
            }
        }

        return done;
    }
}
