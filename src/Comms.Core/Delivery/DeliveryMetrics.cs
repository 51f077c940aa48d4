using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Comms.Delivery;

/// <summary>
/// Counters and the send-latency histogram, tagged by provider and scenario only: no address, name or id
/// ever becomes a metric dimension. Exported by whatever listens to the "Comms.Delivery" meter (Azure Monitor).
/// </summary>
public sealed class DeliveryMetrics : IDisposable
{
    public const string MeterName = "Comms.Delivery";

    private readonly Meter _meter = new(MeterName, "1.0");
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _suppressed;
    private readonly Counter<long> _retried;
    private readonly Histogram<double> _latency;

    public DeliveryMetrics()
    {
        _sent = _meter.CreateCounter<long>("comms.delivery.sent", "{message}", "Messages a provider accepted.");
        _failed = _meter.CreateCounter<long>("comms.delivery.failed", "{message}", "Messages given up on after retries, or rejected.");
        _suppressed = _meter.CreateCounter<long>("comms.delivery.suppressed", "{recipient}", "Recipients not sent to: blacklisted, invalid or without an address.");
        _retried = _meter.CreateCounter<long>("comms.delivery.retried", "{attempt}", "Attempts repeated after a transient or provider failure.");
        _latency = _meter.CreateHistogram<double>("comms.delivery.send.duration", "ms", "Time of one provider call.");
    }

    public void Sent(string provider, string scenario) => _sent.Add(1, Tags(provider, scenario));

    public void Failed(string provider, string scenario, string outcome) =>
        _failed.Add(1, new TagList { { "provider", provider }, { "scenario", scenario }, { "outcome", outcome } });

    public void Suppressed(string scenario, string status) =>
        _suppressed.Add(1, new TagList { { "scenario", scenario }, { "status", status } });

    public void Retried(string provider, string scenario) => _retried.Add(1, Tags(provider, scenario));

    public void Latency(string provider, string scenario, TimeSpan elapsed) => _latency.Record(elapsed.TotalMilliseconds, Tags(provider, scenario));

    private static TagList Tags(string provider, string scenario) => new() { { "provider", provider }, { "scenario", scenario } };

    public void Dispose() => _meter.Dispose();
}
