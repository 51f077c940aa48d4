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

    public string Storage { get; private set; } = "";
    public Uri Ses { get; private set; } = null!;

    public static async Task<Emulators> StartAsync()
    {
        var e = new Emulators();
        var (blob, queue, table, ses) = (NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort());
        var azurite = NodeProcess.Start("azurite/dist/src/azurite.js", "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", P(blob), "--queueHost", "127.0.0.1", "--queuePort", P(queue), "--tableHost", "127.0.0.1", "--tablePort", P(table));
        e._started.Add(azurite);
        var sesProcess = NodeProcess.Start("aws-ses-v2-local/dist/cli.js", "--host", "127.0.0.1", "--port", P(ses));
        e._started.Add(sesProcess);
        foreach (var port in new[] { blob, queue, table })
        {
            await azurite.WaitForPortAsync(port, TimeSpan.FromSeconds(60));
        }

        await sesProcess.WaitForPortAsync(ses, TimeSpan.FromSeconds(60));
        e.Storage = $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/{Account};QueueEndpoint=http://127.0.0.1:{queue}/{Account};TableEndpoint=http://127.0.0.1:{table}/{Account};";
        e.Ses = new Uri($"http://127.0.0.1:{ses}/");
        return e;
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
