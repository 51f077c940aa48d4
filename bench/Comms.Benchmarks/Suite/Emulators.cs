using System.Globalization;
using Comms.Tests.Infrastructure;

namespace Comms.Benchmarks.Suite;

/// <summary>
/// A private Azurite (in memory) and aws-ses-v2-local on free ports, stopped at the end, so a run never
/// shares an emulator (and its load) with someone else's tests.
/// </summary>
public sealed class Emulators : IAsyncDisposable
{
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly List<NodeProcess> _started = [];
    private readonly List<NodeProcess> _azurites = [];

    /// <summary>The application's storage (its tables, queues and blobs).</summary>
    public string Storage { get; private set; } = "";

    /// <summary>The durable engine's task hub: <see cref="Storage"/>, or an Azurite process of its own.</summary>
    public string TaskHubStorage { get; private set; } = "";

    public Uri Ses { get; private set; } = null!;

    /// <summary>Processor time used so far by each Azurite process (the app's first), to show which one is the limit.</summary>
    public IReadOnlyList<TimeSpan> AzuriteProcessorTime() => [.. _azurites.Select(a => a.ProcessorTime)];

    /// <param name="separateTaskHub">
    /// Give the task hub its own Azurite process. Azurite answers every request on one node thread and scans a whole
    /// table for any query (`bench -- azurite-query-cost`), so the engine's history loads and the app's calls queue
    /// behind each other; in Azure they are separate services. One account is what a deployment uses.
    /// </param>
    public static async Task<Emulators> StartAsync(bool separateTaskHub = false)
    {
        var e = new Emulators();
        e.Storage = await e.StartAzuriteAsync();
        e.TaskHubStorage = separateTaskHub ? await e.StartAzuriteAsync() : e.Storage;
        var ses = NodeProcess.FreePort();
        var sesProcess = NodeProcess.Start("aws-ses-v2-local/dist/cli.js", "--host", "127.0.0.1", "--port", P(ses));
        e._started.Add(sesProcess);
        await sesProcess.WaitForPortAsync(ses, TimeSpan.FromSeconds(60));
        e.Ses = new Uri($"http://127.0.0.1:{ses}/");
        return e;
    }

    private async Task<string> StartAzuriteAsync()
    {
        var (blob, queue, table) = (NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort());
        var azurite = NodeProcess.Start("azurite/dist/src/azurite.js", "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", P(blob), "--queueHost", "127.0.0.1", "--queuePort", P(queue), "--tableHost", "127.0.0.1", "--tablePort", P(table));
        _started.Add(azurite);
        _azurites.Add(azurite);
        foreach (var port in new[] { blob, queue, table })
        {
            await azurite.WaitForPortAsync(port, TimeSpan.FromSeconds(60));
        }

        return $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/{Account};QueueEndpoint=http://127.0.0.1:{queue}/{Account};TableEndpoint=http://127.0.0.1:{table}/{Account};";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _started)
        {
            await process.DisposeAsync();
        }
    }

    private static string P(int port) => port.ToString(CultureInfo.InvariantCulture);
}
