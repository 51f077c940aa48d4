using System.Diagnostics;
using Comms.Scenarios;
using Comms.Templates;

namespace Comms.Benchmarks.Suite;

/// <summary>P4 without BenchmarkDotNet's long runs: median of many timed batches of cached renders.</summary>
public static class RenderFigure
{
    public static (double MedianMicroseconds, double AllocatedKb) Measure()
    {
        var now = new DateTimeOffset(2026, 3, 16, 9, 0, 0, TimeSpan.Zero);
        var items = Enumerable.Range(1, 10).Select(i => new LoanFacts
        {
            Title = $"Book number {i}", Author = $"Author {i}", Barcode = $"3000123456{i:D4}", DueDate = now.AddDays(-i),
        }).ToList();
        var template = DefaultTemplates.For(Scenario.Overdue);
        var model = TemplateModelBuilder.Build(new ScenarioKey(Scenario.Overdue), SampleReaders.Library, "en-GB", SampleReaders.Patron, SampleReaders.Recipient, new TemplateData { Items = items }, now);
        var renderer = new TemplateRenderer();
        // Warm up for a time, not only a count: the JIT recompiles hot methods with full optimisation only after
        // a quiet spell of about 100 ms and in the background, so 2000 renders in a fresh process (as "all" runs
        // it) left the timed batches on unoptimised code, 2x to 6x slower than the steady state here.
        var warmUp = Stopwatch.StartNew();
        for (var i = 0; i < 2000 || warmUp.Elapsed < TimeSpan.FromSeconds(2); i++)
        {
            renderer.Render(template, model);
        }

        const int Batch = 20;
        var samples = new List<double>();
        for (var s = 0; s < 300; s++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < Batch; i++)
            {
                renderer.Render(template, model);
            }

            samples.Add(clock.Elapsed.TotalMicroseconds / Batch);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        renderer.Render(template, model);
        var allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / 1024.0;
        samples.Sort();
        return (samples[samples.Count / 2], allocated);
    }
}
