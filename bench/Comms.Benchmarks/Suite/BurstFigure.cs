using System.Globalization;
using Comms.Benchmarks.Storage;

namespace Comms.Benchmarks.Suite;

/// <summary>
/// P3 alone, on emulators of its own: `burst [loans=2000] [cap=50] [separate]`. A cap of 0 means uncapped (the
/// engine's ceiling); `separate` gives the task hub an Azurite process of its own. Prints the figure's row, the
/// storage calls per loan posted and per notice sent, and how busy each Azurite process was over the drain.
/// </summary>
public static class BurstFigure
{
    public static async Task RunAsync(string[] args)
    {
        var loans = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        var cap = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        var separate = args.Contains("separate", StringComparer.Ordinal);
        var result = await MeasureAsync(loans, cap, separate);
        Console.WriteLine(Describe(result, cap, separate));
        Console.WriteLine("Calls per loan posted: " + StorageCallsPerNotice.Format(result.IssueCalls));
        Console.WriteLine("Calls per notice sent: " + StorageCallsPerNotice.Format(result.DrainCalls));
        Console.WriteLine("Where posting's storage time went: " + StorageCallsPerNotice.FormatTime(result.IssueCalls));
        Console.WriteLine("Where the drain's storage time went: " + StorageCallsPerNotice.FormatTime(result.DrainCalls));
    }

    /// <summary>One burst on fresh emulators, so its tables hold only what this burst stored.</summary>
    public static async Task<BurstResult> MeasureAsync(int loans, int cap, bool separateTaskHub)
    {
        await using var emulators = await Emulators.StartAsync(separateTaskHub);
        var durable = await DurableFigures.StartAsync(emulators, cap);
        try
        {
            return await durable.MorningBurstAsync(loans, cap);
        }
        finally
        {
            try
            {
                await durable.DisposeAsync();
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException or AggregateException)
            {
                // Stopping the engine after a large burst can time out; the figure is already taken.
            }
        }
    }

    public static string Describe(BurstResult b, int cap, bool separateTaskHub)
    {
        var busy = string.Join(" and ", b.AzuriteBusy.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x:F2}")));
        var late = b.PostedLateSeconds > 0
            ? string.Create(CultureInfo.InvariantCulture, $" and ended {b.PostedLateSeconds:F0} s after the instant (the rate is a lower bound)")
            : "";
        var rate = cap > 0
            ? string.Create(CultureInfo.InvariantCulture, $"**{b.Rate:F1}/s = {b.Rate / cap:F2} of cap**")
            : string.Create(CultureInfo.InvariantCulture, $"**{b.Rate:F1}/s uncapped**");
        return string.Create(CultureInfo.InvariantCulture,
            $"{b.Sent} of {b.Loans} sent in {b.DrainSeconds:F0} s from the step's instant, {rate}, {b.Duplicates} duplicates; posting took {b.IssueSeconds:F0} s{late}; "
            + $"peak memory {b.PeakMemoryMb:F0} MB (bench process incl. host); {b.IssueCalls.Total:F1} storage calls per loan posted, {b.DrainCalls.Total:F1} per notice sent; "
            + $"Azurite busy {busy} core{(separateTaskHub ? "s (app, task hub)" : "")} over the drain; "
            + $"the drain's storage time: {StorageCallsPerNotice.FormatTime(b.DrainCalls)}");
    }
}
