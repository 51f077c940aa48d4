using BenchmarkDotNet.Running;
using Comms.Benchmarks.Delivery;

// "delivery-ratio" times the delivery pipeline against a bare SES loop (see Delivery/PipelineBenchmarks.cs);
// anything else runs every BenchmarkDotNet benchmark in this assembly, or those picked with --filter.
if (args.Length > 0 && args[0] == "delivery-ratio")
{
    await PipelineBenchmarks.RunAsync(args);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
