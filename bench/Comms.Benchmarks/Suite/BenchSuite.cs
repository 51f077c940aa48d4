using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Comms.Benchmarks.Delivery;
using Comms.Benchmarks.Storage;
using Comms.Tests.Infrastructure;

namespace Comms.Benchmarks.Suite;

/// <summary>
/// P1-P4 in one run with private emulators; results to bench/results/latest.md and latest.json.
/// Args: [burstLoans=2000] [p1Notices=500]. The machine's load average goes with every figure: on a shared
/// 2-core machine it moves them more than most code changes do.
/// </summary>
public static class BenchSuite
{
    private const int Cap = 50;

    public static async Task RunAsync(string[] args)
    {
        var burst = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        var notices = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        var results = new Dictionary<string, object>
        {
            ["date"] = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
            ["machine"] = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}",
            ["commit"] = Git("rev-parse --short HEAD"),
        };
        var md = new StringBuilder();
        void Row(string figure, string value, string goal, string load) => md.AppendLine(CultureInfo.InvariantCulture, $"| {figure} | {value} | {goal} | {load} |");

        var render = RenderFigure.Measure();
        results["p4"] = new { medianMicroseconds = render.MedianMicroseconds, allocatedKb = render.AllocatedKb, load = Load() };
        Row("P4 cached render, overdue default, 10 items", $"median {render.MedianMicroseconds:F1} µs, {render.AllocatedKb:F1} KB allocated", "≤ 20 µs", Load());
        Console.WriteLine($"P4 {render.MedianMicroseconds:F1} µs");
        await WriteAsync(results, md);

        await using var emulators = await Emulators.StartAsync();
        foreach (var (concurrency, cap) in new[] { (8, 0), (32, 0), (32, Cap) })
        {
            var azuriteBefore = emulators.AzuriteProcessorTime()[0];
            var (bare, pipeline, calls) = await PipelineBenchmarks.MeasureAsync(emulators.Storage, emulators.Ses, notices, concurrency, cap);
            // The bare loop never calls Azurite: its processor time over the run is the pipeline's, per second the pipeline ran.
            var azuriteBusy = (emulators.AzuriteProcessorTime()[0] - azuriteBefore).TotalSeconds / (notices / pipeline);
            var what = cap > 0 ? $"both capped at {cap}/s" : "uncapped";
            results[$"p1_c{concurrency}_{(cap > 0 ? "capped" : "uncapped")}"] = new { notices, concurrency, cap, bare, pipeline, ratio = pipeline / bare, tableCallsPerNotice = calls.PerNotice, tableCallsTotal = calls.Total, azuriteBusyCores = azuriteBusy, load = Load() };
            Row($"P1 pipeline vs bare SES, {notices} notices, concurrency {concurrency}, {what}",
                $"bare {bare:F0}/s, pipeline {pipeline:F0}/s, **ratio {pipeline / bare:F2}**; table calls per notice {StorageCallsPerNotice.Format(calls)}; Azurite busy {azuriteBusy:F2} core while the pipeline ran",
                cap > 0 ? "≥ 0.9 at the cap" : "≥ 0.5, ≤ 3 table calls", Load());
            Console.WriteLine($"P1 c{concurrency} cap{cap}: {bare:F0} vs {pipeline:F0}");
            await WriteAsync(results, md);
        }

        // A durable figure that fails (a timeout on an overloaded machine) is reported, not allowed to lose P1/P4.
        DurableFigures? durable = null;
        try
        {
            durable = await DurableFigures.StartAsync(emulators, Cap);
            var history = await durable.CostPerLoanAsync();
            var total = history.Values.Sum();
            results["p2"] = new { steps = 5, history, total, load = Load() };
            Row("P2 durable cost, one loan, 5-step ladder + return",
                $"{history.GetValueOrDefault("TimerCreated")} timers, {history.GetValueOrDefault("TaskScheduled")} activity calls, **{total} history events** ({string.Join(", ", history.OrderBy(h => h.Key).Select(h => $"{h.Key} {h.Value}"))})",
                "≤ 1 timer, ≤ 2 activities per step, ≤ 40 events", Load());
            Console.WriteLine($"P2 {total} events");
            await WriteAsync(results, md);

            var b = await durable.MorningBurstAsync(burst, Cap);
            results["p3"] = Json(b, Cap);
            Row($"P3 morning burst, {b.Loans} loans due at once, SES capped at {Cap}/s", BurstFigure.Describe(b, Cap, separateTaskHub: false),
                "≥ 0.95 of cap, 0 duplicates, ≤ 1.5 GB", Load());
            Console.WriteLine($"P3 {BurstFigure.Describe(b, Cap, separateTaskHub: false)}");
            await WriteAsync(results, md);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or InvalidOperationException or HttpRequestException or KeyNotFoundException)
        {
            // OperationCanceledException: a loan's post outlasting the client's timeout on a saturated emulator (it lost a
            // 10,000-loan run on 2026-12-03).
            results["durableError"] = e.Message;
            Row("P2/P3", $"not measured: {e.GetType().Name}: {e.Message}", "", Load());
            Console.WriteLine($"P2/P3 not measured: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            // Stopping the engine after a large burst can time out (the backend waits for its partition
            // manager); the figures above are already recorded, so a slow shutdown must not lose them.
            try
            {
                if (durable is not null)
                {
                    await durable.DisposeAsync();
                }
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException or AggregateException)
            {
                results["shutdownError"] = e.Message;
            }
        }

        // The engine's ceiling: the same burst shape with the provider uncapped, on fresh emulators so its tables
        // hold only its own rows (at most 2,000 loans: the figure is the rate, and a second large burst would double the run).
        try
        {
            var ceiling = await BurstFigure.MeasureAsync(Math.Min(burst, 2000), cap: 0, separateTaskHub: false);
            results["p3Uncapped"] = Json(ceiling, 0);
            Row($"P3 ceiling, {ceiling.Loans} loans due at once, SES uncapped", BurstFigure.Describe(ceiling, 0, separateTaskHub: false), "(reported)", Load());
            Console.WriteLine($"P3 uncapped {BurstFigure.Describe(ceiling, 0, separateTaskHub: false)}");
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or InvalidOperationException or HttpRequestException)
        {
            results["p3UncappedError"] = e.Message;
            Row("P3 ceiling", $"not measured: {e.GetType().Name}: {e.Message}", "", Load());
        }

        await WriteAsync(results, md);
        Console.WriteLine(md);
    }

    /// <summary>
    /// Writes the figures taken so far to bench/results/latest.{md,json}. Called after every figure: a 10,000-loan run
    /// lasts an hour on this machine, and one that is stopped or fails late must still leave what it measured.
    /// </summary>
    private static async Task WriteAsync(Dictionary<string, object> results, StringBuilder md)
    {
        var dir = RepoPaths.File("bench", "results");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "latest.json"), JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        await File.WriteAllTextAsync(Path.Combine(dir, "latest.md"),
            $"# Benchmark results\n\n{results["date"]} · commit {results["commit"]} · {results["machine"]}\n\n" +
            "| Figure | Result | Goal | Load average (1/5/15 min) |\n|---|---|---|---|\n" + md);
    }

    private static object Json(BurstResult b, int cap) => new
    {
        b.Loans, b.Sent, b.Duplicates, b.IssueSeconds, b.PostedLateSeconds, b.DrainSeconds, b.Rate, cap, rateVsCap = cap > 0 ? b.Rate / cap : (double?)null, b.PeakMemoryMb,
        callsPerLoanPosted = b.IssueCalls.PerNotice, callsPerLoanPostedTotal = b.IssueCalls.Total,
        callsPerNoticeSent = b.DrainCalls.PerNotice, callsPerNoticeSentTotal = b.DrainCalls.Total,
        drainStorageTime = b.DrainCalls.WhereTheTimeGoes().Select(t => new { kind = t.Kind, share = t.Share, perNotice = t.PerUnit, meanMilliseconds = t.MeanMilliseconds }),
        postingStorageTime = b.IssueCalls.WhereTheTimeGoes().Select(t => new { kind = t.Kind, share = t.Share, perLoan = t.PerUnit, meanMilliseconds = t.MeanMilliseconds }),
        azuriteBusyCores = b.AzuriteBusy, load = Load(),
    };

    /// <summary>The 1, 5 and 15 minute load averages, to print beside a figure.</summary>
    public static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Git(string args)
    {
        try
        {
            using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", args) { RedirectStandardOutput = true, WorkingDirectory = RepoPaths.Root })!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
