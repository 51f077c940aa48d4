using Comms.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Comms.BrowserTests.Infrastructure;

/// <summary>
/// Runs axe-core (from node_modules, pinned in package.json) on the page as it is and lists its serious and critical
/// violations. The script goes in through the DevTools protocol (EvaluateAsync), which the page's CSP does not
/// govern, so the page keeps its strict policy during the check.
/// </summary>
public static class AxeCheck
{
    private static readonly Lazy<string> Script = new(() => File.ReadAllText(RepoPaths.File("node_modules", "axe-core", "axe.min.js")));

    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        await page.EvaluateAsync(Script.Value);
        return await page.EvaluateAsync<string[]>(
            """
            async () => {
              const result = await axe.run(document);
              // A run that checked nothing would pass vacuously.
              if (result.passes.length === 0) return ['axe checked nothing'];
              return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
            }
            """);
    }
}
