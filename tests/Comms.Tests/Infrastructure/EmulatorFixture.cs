using System.Globalization;

namespace Comms.Tests.Infrastructure;

/// <summary>
/// Azurite and aws-ses-v2-local for the whole test run. An emulator already listening (set up by the
/// developer or by .ci/run) is used as it is; otherwise the fixture starts one on free ports and stops it
/// at the end. Tests share the emulators but not data: each asks for its own table prefix.
/// </summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private const string AzuriteAccount = "devstoreaccount1";
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly List<NodeProcess> _started = [];

    public int BlobPort { get; private set; } = 10000;
    public int QueuePort { get; private set; } = 10001;
    public int TablePort { get; private set; } = 10002;
    public int SesPort { get; private set; } = 8005;

    public string StorageConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AzuriteAccount};AccountKey={AzuriteKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AzuriteAccount};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AzuriteAccount};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AzuriteAccount};";

    public Uri SesEndpoint => new($"http://127.0.0.1:{SesPort}");

    public async Task InitializeAsync()
    {
        var azuriteUp = await NodeProcess.IsListeningAsync(BlobPort) && await NodeProcess.IsListeningAsync(QueuePort) && await NodeProcess.IsListeningAsync(TablePort);
        var sesUp = await NodeProcess.IsListeningAsync(SesPort);
        await Task.WhenAll(azuriteUp ? Task.CompletedTask : WithRetries(StartAzuriteAsync), sesUp ? Task.CompletedTask : WithRetries(StartSesAsync));
    }

    /// <summary>
    /// A free port can be taken by another process (five builds share the machine) between probing it and the
    /// emulator binding it; the emulator then exits with EADDRINUSE, and new ports are the fix.
    /// </summary>
    private static async Task WithRetries(Func<Task> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await start();
                return;
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
            }
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _started)
        {
            await process.DisposeAsync();
        }
    }

    /// <summary>A table-name prefix no other test uses, so tests never see each other's rows.</summary>
    public static string NewTablePrefix() =>
        "T" + Guid.NewGuid().ToString("N")[..12].ToString(CultureInfo.InvariantCulture);

    private async Task StartAzuriteAsync()
    {
        (BlobPort, QueuePort, TablePort) = (NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort());
        var azurite = NodeProcess.Start(
            "azurite/dist/src/azurite.js",
            "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", Port(BlobPort),
            "--queueHost", "127.0.0.1", "--queuePort", Port(QueuePort),
            "--tableHost", "127.0.0.1", "--tablePort", Port(TablePort));
        _started.Add(azurite);
        await azurite.WaitForPortAsync(BlobPort, TimeSpan.FromSeconds(30));
        await azurite.WaitForPortAsync(QueuePort, TimeSpan.FromSeconds(30));
        await azurite.WaitForPortAsync(TablePort, TimeSpan.FromSeconds(30));
    }

    private async Task StartSesAsync()
    {
        SesPort = NodeProcess.FreePort();
        var ses = NodeProcess.Start("aws-ses-v2-local/dist/cli.js", "--host", "127.0.0.1", "--port", Port(SesPort));
        _started.Add(ses);
        await ses.WaitForPortAsync(SesPort, TimeSpan.FromSeconds(30));
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}

[CollectionDefinition(Name)]
public sealed class EmulatorCollection : ICollectionFixture<EmulatorFixture>
{
    public const string Name = "emulators";
}

/// <summary>
/// The long runs of the dev host as its own process (crash, provider faults and outage, demo). They get emulators
/// of their own, and run after every other collection with nothing beside them: the shared Azurite has by then
/// stored every other test's rows and slows with them (and with a test running next to it, the task hub's
/// partition-lease writes run past their 2-second budget), which is not what these runs measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DevHostRunCollection : ICollectionFixture<EmulatorFixture>
{
    public const string Name = "dev host runs";
}
