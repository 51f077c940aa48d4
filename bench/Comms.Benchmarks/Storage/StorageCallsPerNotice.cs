using System.Globalization;

namespace Comms.Benchmarks.Storage;

/// <summary>Storage calls of a timed run divided by the notices it sent, by kind and table.</summary>
public sealed record StorageCallsPerNotice(IReadOnlyDictionary<string, int> Calls, int Notices)
{
    public double Total => Calls.Values.Sum() / (double)Notices;

    public IReadOnlyDictionary<string, double> PerNotice =>
        Calls.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => Math.Round(c.Value / (double)Notices, 2), StringComparer.Ordinal);

    public static string Format(StorageCallsPerNotice calls) =>
        string.Create(CultureInfo.InvariantCulture, $"{calls.Total:F2} (") + string.Join(", ", calls.PerNotice.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value:0.##}"))) + ")";
}
