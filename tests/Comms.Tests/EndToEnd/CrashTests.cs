using System.Net;
using Comms.Libraries;
using Comms.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Comms.Tests.EndToEnd;

/// <summary>
/// 200 loans through a seconds-long ladder while the dev host process is killed with SIGKILL three times at
/// random points and restarted. Every notice must reach SES, and exactly once — except that SES is
/// at-least-once for a crash between its accept and the ledger write (docs/delivery.md, "crash window"):
/// such a duplicate is counted, reported and must be one of those, never a notice the log shows sent twice.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class CrashTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private const int Loans = 200;
    private const int Kills = 3;

    // Three steps per loan, all to the patron: 600 notices.
    private static readonly NoticeTiming Ladder = new() { PreOverdueDaysBefore = 2, OverdueGraceDays = 1, EscalationDaysAfterDue = [2] };
    private static readonly string[] Steps = ["Due soon: ", "Overdue library items for ", "Reminder 1: "];

    // Skipped, not passing: after the first kill -9 the restarted dev host resumed no orchestration work for
    // over four minutes (173 of 600 notices had been sent, none twice). The cause — most likely how the
    // Azure Storage backend hands the dead worker's partitions to the new one — is still open (docs/devhost.md).
    [Fact(Skip = "Restarted dev host does not resume durable work after kill -9 within minutes; see docs/devhost.md, 'Measured'.")]
    public async Task DevHost_KilledThreeTimesMidLadder_EveryNoticeSentNoneLost()
    {
        var settings = DevHostProcess.Settings(emulators);
        // A claim left by a killed process is taken over after 5 s instead of 2 minutes, well inside the
        // activity retry budget (2 + 4 + 8 + 16 s), so a crash-window notice is re-sent rather than given up.
        settings["Comms:Email:ClaimLeaseSeconds"] = "5";
        await using var host = await DevHostProcess.StartAsync(settings);
        var library = await E2eLibrary.CreateAsync(host, emulators.SesEndpoint, Ladder);
        var patrons = Enumerable.Range(0, Loans).Select(i => $"p{i:000}").ToArray();
        await Parallel.ForEachAsync(patrons, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (p, _) => await library.AddPatronAsync(p));
        var expected = patrons.SelectMany(p => Steps.Select(s => (To: library.Address(p), Step: s))).ToHashSet();

        // Due dates spread over 20 s so kills land among timers firing, activities running and sends in flight.
        var start = DateTimeOffset.UtcNow.AddSeconds(8);
        await Parallel.ForEachAsync(Enumerable.Range(0, Loans), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            await library.SendAsync(HttpMethod.Post, "loans", new { loanId = $"L{i:000}", patronId = patrons[i], title = $"Book {i}", dueAt = start.AddSeconds(i % 20) }, HttpStatusCode.Created));

        var random = new Random();
        var kills = new List<string>();
        for (var k = 0; k < Kills; k++)
        {
            // One kill in each third of the run, at a random point within it.
            var threshold = (expected.Count * k / Kills) + random.Next(expected.Count / (Kills * 4), expected.Count * 3 / (Kills * 4));
            var before = await E2eLibrary.EventuallyAsync(library.SesEmailsAsync, m => m.Count >= threshold, TimeSpan.FromMinutes(4), m => $"{m.Count} of {threshold} emails before kill {k + 1}");
            await host.KillAsync();
            var atKill = (await library.SesEmailsAsync()).Count;
            var stopped = DateTime.UtcNow;
            await host.StartAsync();
            kills.Add($"kill {k + 1}: after {before.Count} emails ({atKill} once dead), restarted in {(DateTime.UtcNow - stopped).TotalSeconds:0.0} s");
        }

        // Done when every loan has been through its last step: then nothing more can be sent.
        await E2eLibrary.EventuallyAsync(() => LaddersDoneAsync(library), done => done == Loans, TimeSpan.FromMinutes(5), done => $"{done} of {Loans} ladders done");
        var mail = await library.SesEmailsAsync();
        var log = await library.LogAsync();

        var perNotice = mail.GroupBy(m => (To: m.To.Single(), Step: Steps.Single(s => m.Subject.StartsWith(s, StringComparison.Ordinal)))).ToList();
        var lost = expected.Except(perNotice.Select(g => g.Key)).ToList();
        var duplicated = perNotice.Where(g => g.Count() > 1).ToList();
        var logged = log.Select(r => r.GetProperty("providerMessageId").GetString()).ToHashSet();
        // A crash-window duplicate: SES accepted a copy the ledger never recorded, so only the re-send is in the log.
        var crashWindow = duplicated.Count(g => g.Count(m => logged.Contains(m.MessageId)) == 1);
        foreach (var line in kills)
        {
            output.WriteLine(line);
        }

        output.WriteLine($"expected {expected.Count} notices; SES stored {mail.Count} emails for {perNotice.Count} notices; "
            + $"lost {lost.Count}; duplicated {duplicated.Count} (extra copies {mail.Count - perNotice.Count}), of which in the crash window {crashWindow}; "
            + $"email log Sent rows {log.Count} for {log.Select(r => r.GetProperty("noticeId").GetString()).Distinct().Count()} notice ids");

        Assert.Equal(Kills + 1, host.Starts);
        Assert.Empty(lost);
        Assert.Equal(expected.Count, perNotice.Count);
        Assert.Equal(duplicated.Count, crashWindow);
        Assert.Equal(log.Count, log.Select(r => r.GetProperty("noticeId").GetString()).Distinct().Count());
    }

    private static async Task<int> LaddersDoneAsync(E2eLibrary library)
    {
        var done = 0;
        for (var i = 0; i < Loans; i++)
        {
            var loan = await library.SendAsync(HttpMethod.Get, $"loans/L{i:000}", null, HttpStatusCode.OK);
            if (loan.TryGetProperty("notices", out var notices) && notices.TryGetProperty("sent", out var sent) && sent.GetArrayLength() == Steps.Length)
            {
                done++;
            }
        }

        return done;
    }
}
