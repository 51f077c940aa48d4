using System.Diagnostics;
using Comms.Suppression;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Comms.Tests.Suppression;

/// <summary>
/// The 200,000-address sync figure for docs/suppression.md: time and peak managed memory while it runs.
/// A measurement, not a timed test: by default it syncs 3,000 addresses and checks every one arrived;
/// COMMS_BENCH_SYNC=200000 runs the full-size figure. Nothing asserts on time.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class SyncBenchmark(EmulatorFixture emulators, ITestOutputHelper output)
{
    [Fact]
    public async Task Sync_LargeList_ReportsTimeAndPeakMemory()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("COMMS_BENCH_SYNC"), out var count))
        {
            count = 3_000;
        }

        await using var ses = await FakeSesSuppressionServer.StartAsync();
        ses.Generated = count;
        await using var services = SuppressionTestServices.Create(emulators, ses);
        var sync = services.GetRequiredService<SuppressionSync>();
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                await Task.Delay(50);
            }
        });
        var clock = Stopwatch.StartNew();

        var result = Assert.Single(await sync.RunAsync());

        clock.Stop();
        await sampling.CancelAsync();
        await sampler;
        var line = $"sync {result.Processed} addresses, {result.Pages} pages: {clock.Elapsed.TotalSeconds:F1} s, {result.Processed / clock.Elapsed.TotalSeconds:F0}/s; managed heap baseline {baseline / 1048576.0:F1} MiB, peak {peak / 1048576.0:F1} MiB; process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB";
        output.WriteLine(line);
        await File.AppendAllTextAsync(Path.Combine(Path.GetTempPath(), "comms-sync-bench.txt"), line + Environment.NewLine);
        Assert.Equal(count, result.Processed);
    }
}
