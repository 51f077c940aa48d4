using BenchmarkDotNet.Running;
using Comms.Benchmarks.Delivery;
using Comms.Benchmarks.Suite;

// "all" runs P1-P4 with their own emulators and writes bench/results/latest.{md,json} (see bench/README.md);
// "school [students=1000] [classes=40] [loansPerStudent=3]" only P5 (contact digests, bench/results/school.md);
// "burst [loans=2000] [cap=50] [separate]" only P3, on its own emulators; "delivery-ratio" only P1 against emulators already running; "render [rounds=5]" only P4, in seconds and
// without emulators, to compare renderer changes; "azurite-query-cost [rows...]" the emulator's cost of a point
// read and a one-partition query as its table grows; "azurite-queue-cost [messages...]" the cost of a queue's calls
// as invisible messages pile up in another queue; anything else goes to BenchmarkDotNet.
switch (args.FirstOrDefault())
{
    case "all":
        await BenchSuite.RunAsync(args.Skip(1).ToArray());
        return;
    case "render":
        var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        for (var round = 1; round <= rounds; round++)
        {
            var (median, allocatedKb) = RenderFigure.Measure();
            Console.WriteLine($"P4 round {round}: median {median:F1} µs, {allocatedKb:F1} KB allocated, load {BenchSuite.Load()}");
        }

        return;
    case "school":
        await SchoolFigure.RunAsync(args.Skip(1).ToArray());
        return;
    case "burst":
        await BurstFigure.RunAsync(args.Skip(1).ToArray());
        return;
    case "azurite-query-cost":
        await Comms.Benchmarks.Storage.AzuriteQueryCost.RunAsync(args);
        return;
    case "azurite-queue-cost":
        await Comms.Benchmarks.Storage.AzuriteQueueCost.RunAsync(args);
        return;
    case "delivery-ratio":
        await PipelineBenchmarks.RunAsync(args);
        return;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Comms.Benchmarks.Templates.RenderBenchmarks).Assembly).Run(args);
        return;
}
