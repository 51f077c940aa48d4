using BenchmarkDotNet.Running;
using Comms.Benchmarks.Delivery;
using Comms.Benchmarks.Suite;

// "all" runs P1-P4 with their own emulators and writes bench/results/latest.{md,json} (see bench/README.md);
// "delivery-ratio" only P1 against emulators already running; anything else goes to BenchmarkDotNet.
switch (args.FirstOrDefault())
{
    case "all":
        await BenchSuite.RunAsync(args.Skip(1).ToArray());
        return;
    case "delivery-ratio":
        await PipelineBenchmarks.RunAsync(args);
        return;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Comms.Benchmarks.Templates.RenderBenchmarks).Assembly).Run(args);
        return;
}
