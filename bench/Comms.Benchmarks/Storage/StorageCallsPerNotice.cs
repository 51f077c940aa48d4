using System.Globalization;

namespace Comms.Benchmarks.Storage;

/// <summary>
/// Storage calls of a timed run divided by the notices it sent, by kind and table, with each kind's summed round
/// trip when it was timed.
/// </summary>
public sealed record StorageCallsPerNotice(IReadOnlyDictionary<string, int> Calls, int Notices, IReadOnlyDictionary<string, double>? Milliseconds = null)
{
    public double Total => Calls.Values.Sum() / (double)Notices;

    public IReadOnlyDictionary<string, double> PerNotice =>
        Calls.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => Math.Round(c.Value / (double)Notices, 2), StringComparer.Ordinal);

    /// <summary>The kinds that took most of the summed round trip: share of it, calls per unit, mean milliseconds per call.</summary>
    public IReadOnlyList<(string Kind, double Share, double PerUnit, double MeanMilliseconds)> WhereTheTimeGoes(int top = 6)
    {
        if (Milliseconds is null || Milliseconds.Count == 0)
        {
            return [];
        }

        var sum = Milliseconds.Values.Sum();
        return [.. Milliseconds.OrderByDescending(m => m.Value).Take(top).Select(m =>
        {
            var calls = Calls.GetValueOrDefault(m.Key);
            return (m.Key, m.Value / sum, calls / (double)Notices, calls == 0 ? 0 : m.Value / calls);
        })];
    }

    public static string Format(StorageCallsPerNotice calls) =>
        string.Create(CultureInfo.InvariantCulture, $"{calls.Total:F2} (") + string.Join(", ", calls.PerNotice.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value:0.##}"))) + ")";

    /// <summary>"query History 61 % (2.1 per unit × 38.0 ms), ..." or empty when the run was not timed.</summary>
    public static string FormatTime(StorageCallsPerNotice calls) =>
        string.Join(", ", calls.WhereTheTimeGoes().Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Kind} {t.Share:P0} ({t.PerUnit:0.##} × {t.MeanMilliseconds:F1} ms)")));
}
