using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Stubble.Core.Parser;

namespace Comms.Templates;

/// <summary>
/// Compiled plans keyed by their source text, so a changed template (a new version) is compiled afresh and
/// an unchanged one is never parsed twice. Bounded: when full it starts again, which costs one parse per
/// template still in use; a library has a few dozen templates, so that only happens across very many.
/// </summary>
internal sealed class RenderPlanCache(int capacity)
{
    private static readonly InstanceMustacheParser Parser = new();

    private readonly ConcurrentDictionary<string, RenderPlan> _byText = new(StringComparer.Ordinal);

    /// <summary>
    /// The same string instance is found without reading its text: the resolver hands out the same content
    /// for a burst of notices and defaults are loaded once, and hashing the overdue default's HTML and text
    /// took about 2 µs of a 10 µs render. Entries go when their string is collected.
    /// </summary>
    private readonly ConditionalWeakTable<string, RenderPlan> _byInstance = [];

    public RenderPlan For(string source)
    {
        if (_byInstance.TryGetValue(source, out var plan))
        {
            return plan;
        }

        plan = ForText(source);
        _byInstance.AddOrUpdate(source, plan);
        return plan;
    }

    private RenderPlan ForText(string source)
    {
        if (_byText.TryGetValue(source, out var plan))
        {
            return plan;
        }

        if (_byText.Count >= capacity)
        {
            _byText.Clear();
        }

        return _byText.GetOrAdd(source, static s => RenderPlan.Compile(Parser.Parse(s)));
    }
}
