using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Comms.DevHost.Local;

/// <summary>
/// Starts Azurite from node_modules when the configured storage points at loopback ports on which nothing
/// listens, so `dotnet run --project src/Comms.DevHost` is the whole local start. Registered before every
/// other hosted service: the durable engine creates its task hub in storage as it starts.
/// It runs `node .../azurite.js` directly (one PID, unlike `npx azurite`) and is left running when the dev
/// host stops or is killed: the next start finds it listening and uses it. Ctrl+C in a terminal reaches both
/// processes, and Azurite saves its data on the way out.
/// </summary>
public sealed partial class LocalAzurite(IConfiguration configuration, IOptions<LocalAzuriteOptions> options, ILogger<LocalAzurite> logger) : IHostedService
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The process this host started, or null when Azurite was already there (or storage is not local).</summary>
    public int? StartedProcessId { get; private set; }

    public string? DataFolder { get; private set; }

    /// <summary>Where the Azurite this host started writes its console output.</summary>
    public string? LogFile { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoints = new[] { configuration["Comms:Storage:ConnectionString"], configuration["DevHost:Durable:ConnectionString"], configuration["AzureWebJobsStorage"] }
            .Select(StorageEndpoints.Parse).OfType<StorageEndpoints>().Distinct().ToList();
        if (!options.Value.AutoStart || endpoints.Count != 1)
        {
            // Real accounts, or several emulators at once: not ours to start.
            return;
        }

        var ports = endpoints[0];
        var listening = await Task.WhenAll(ports.Ports.Select(IsListeningAsync));
        if (listening.All(l => l))
        {
            return;
        }

        if (listening.Any(l => l))
        {
            LogPartlyTaken(logger, string.Join(", ", ports.Ports));
            return;
        }

        await StartAzuriteAsync(ports, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task StartAzuriteAsync(StorageEndpoints ports, CancellationToken cancellationToken)
    {
        await NodeRuntime.RequireAsync(cancellationToken);
        var root = FindNodeModulesRoot()
            ?? throw new LocalSetupException(
                $"Nothing listens on the storage ports {string.Join(", ", ports.Ports)} and node_modules/azurite was not found above "
                + $"{Environment.CurrentDirectory}: run `npm ci` at the repository root (or start Azurite yourself).");
        DataFolder = Path.GetFullPath(Path.Combine(root, options.Value.Location));
        Directory.CreateDirectory(DataFolder);
        LogFile = Path.Combine(DataFolder, "azurite.log");

        var info = StartInfo(LogFile);
        info.WorkingDirectory = root;
        string[] args =
        [
            AzuriteScript(root), "--silent", "--location", DataFolder,
            // Newer storage SDKs send API versions this Azurite release may not know yet.
            "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", Text(ports.Blob),
            "--queueHost", "127.0.0.1", "--queuePort", Text(ports.Queue),
            "--tableHost", "127.0.0.1", "--tablePort", Text(ports.Table),
        ];
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new LocalSetupException("`node` did not start; install Node.js 22 (20 works).");
        StartedProcessId = process.Id;
        var deadline = DateTime.UtcNow + StartTimeout;
        foreach (var port in ports.Ports)
        {
            while (!await IsListeningAsync(port))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"Azurite (PID {process.Id}) did not listen on port {port} within {StartTimeout.TotalSeconds:0} s.");
                }

                await Task.Delay(100, cancellationToken);
            }
        }

        LogStarted(logger, process.Id, DataFolder);
    }

    /// <summary>
    /// Azurite announces each service on its console even with --silent; that goes to a log file, not the dev host's
    /// terminal. `exec` keeps one PID (the one the banner prints), and a file, unlike a pipe to this process, outlives
    /// the dev host. Without a POSIX shell (Windows) Azurite shares the terminal.
    /// </summary>
    private static ProcessStartInfo StartInfo(string logFile)
    {
        if (!File.Exists("/bin/sh"))
        {
            return new ProcessStartInfo("node") { UseShellExecute = false };
        }

        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("log=\"$1\"; shift; exec node \"$@\" >>\"$log\" 2>&1");
        info.ArgumentList.Add("azurite");
        info.ArgumentList.Add(logFile);
        return info;
    }

    private static string AzuriteScript(string root) => Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");

    /// <summary>The repository root: the first folder holding node_modules/azurite, above the working folder or the binary.</summary>
    private static string? FindNodeModulesRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(AzuriteScript(dir.FullName)))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromMilliseconds(500));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Started Azurite (PID {ProcessId}) with its data in {DataFolder}; it keeps running after the dev host stops.")]
    private static partial void LogStarted(ILogger logger, int processId, string dataFolder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Some of the storage ports {Ports} are taken and some are free: not starting Azurite. Is another emulator running?")]
    private static partial void LogPartlyTaken(ILogger logger, string ports);
}
