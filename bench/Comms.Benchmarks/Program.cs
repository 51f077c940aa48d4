using BenchmarkDotNet.Running;

// Runs every benchmark in this assembly, or those picked with --filter (see bench/README.md).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
