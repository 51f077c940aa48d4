using BenchmarkDotNet.Attributes;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Templates;
using Stubble.Core.Parser;

namespace Comms.Benchmarks.Templates;

/// <summary>
/// The default overdue template (subject, HTML, text) with ten items: rendering with compiled templates
/// cached, against parsing (and compiling) all three parts on every render. Goal: cached median at most 20 µs.
/// </summary>
[MemoryDiagnoser]
public class RenderBenchmarks
{
    private readonly TemplateRenderer _cached = new();
    private readonly TemplateRenderer _uncached = new(new InstanceMustacheParser());
    private TemplateContent _template = null!;
    private TemplateModel _model = null!;

    [GlobalSetup]
    public void Setup()
    {
        var now = new DateTimeOffset(2026, 3, 16, 9, 0, 0, TimeSpan.Zero);
        var key = new ScenarioKey(Scenario.Overdue);
        var items = Enumerable.Range(1, 10).Select(i => new LoanFacts
        {
            Title = $"Book number {i}",
            Author = $"Author {i}",
            Barcode = $"3000123456{i:D4}",
            DueDate = now.AddDays(-i),
        }).ToList();
        _template = DefaultTemplates.For(Scenario.Overdue);
        _model = TemplateModelBuilder.Build(key, SampleReaders.Library, "en-GB", SampleReaders.Patron, SampleReaders.Recipient, new TemplateData { Items = items }, now);
        _cached.Render(_template, _model);
    }

    [Benchmark(Baseline = true)]
    public RenderedEmail ParseAndRenderEachTime() => _uncached.Render(_template, _model);

    [Benchmark]
    public RenderedEmail CachedRender() => _cached.Render(_template, _model);
}
