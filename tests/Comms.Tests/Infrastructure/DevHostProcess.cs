using System.Diagnostics;
using System.Text;

namespace Comms.Tests.Infrastructure;

/// <summary>
/// The dev host as a separate process (`dotnet Comms.DevHost.dll`), configured through environment variables
/// as a deployment would be, on a fixed loopback port so a restart keeps the same base address. Kill is
/// `kill -9` of the whole process tree: no shutdown code runs, as in a crash.
/// </summary>
public sealed class DevHostProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private readonly string _workingDirectory;
    private readonly IReadOnlyList<string> _arguments;

    private DevHostProcess(IReadOnlyDictionary<string, string?> settings, int port, string workingDirectory, IReadOnlyList<string> arguments)
    {
        _settings = settings;
        _workingDirectory = workingDirectory;
        _arguments = arguments;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public int Port { get; }

    public HttpClient Http { get; }

    /// <summary>How many times the process was started; 1 + restarts.</summary>
    public int Starts { get; private set; }

    /// <summary>
    /// Settings for an end-to-end run: the test emulators, a private table prefix and task hub, SES at
    /// aws-ses-v2-local, one ladder day per second, and a short queue visibility timeout so work held by a
    /// killed process comes back in seconds rather than the 5 minutes Azure uses.
    /// </summary>
    public static Dictionary<string, string?> Settings(EmulatorFixture emulators)
    {
        var settings = TestServices.Settings(emulators);
        settings["Comms:TaskHubName"] = "E" + Guid.NewGuid().ToString("N")[..12];
        settings["Comms:Email:Provider"] = "Ses";
        settings["Comms:Circulation:DayLength"] = "00:00:01";
        // A killed post's queued start has run well within a minute of the restart (leases 15 s, visibility 10 s).
        settings["Comms:Circulation:StartGrace"] = "00:01:00";
        settings["DevHost:Durable:QueueVisibilityTimeout"] = "00:00:10";
        settings["DevHost:Durable:MaxQueuePollingInterval"] = "00:00:00.5";
        settings["DevHost:Durable:PartitionCount"] = "2";
        // The shortest blob lease: a restart takes over the killed process's partitions within about 15 s.
        settings["DevHost:Durable:LeaseInterval"] = "00:00:15";
        settings["DevHost:Azurite:AutoStart"] = "false";
        settings["Logging:LogLevel:Default"] = "Warning";
        return settings;
    }

    /// <summary>Starts it in <paramref name="workingDirectory"/> (default: the repository root) with extra command-line arguments.</summary>
    public static async Task<DevHostProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, string? workingDirectory = null, params string[] arguments)
    {
        var host = new DevHostProcess(settings, NodeProcess.FreePort(), workingDirectory ?? RepoPaths.Root, arguments);
        await host.StartAsync();
        return host;
    }

    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("The dev host is already running.");
        }

        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _workingDirectory };
        info.ArgumentList.Add(DllPath());
        foreach (var argument in _arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{Port}");
        foreach (var (key, value) in _settings)
        {
            // The Functions app-setting form: the same names a deployment sets.
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Starts++;
        await WaitUntilReadyAsync(_process);
    }

    /// <summary>SIGKILL to the dev host (and anything it started): no graceful shutdown, no flushing.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async Task RestartAsync()
    {
        await KillAsync();
        await StartAsync();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Http.Dispose();
    }

    /// <summary>
    /// Ready once HTTP answers: Kestrel starts listening only after every hosted service has started,
    /// the durable engine and its worker included. An unknown library's email log is a cheap call that
    /// needs the whole pipeline (routing, auth, storage) and changes nothing.
    /// </summary>
    private async Task WaitUntilReadyAsync(Process process)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                // Also waits for the end of the redirected output, so the message holds the process's last lines.
                await process.WaitForExitAsync();
                throw new InvalidOperationException($"The dev host exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                using var request = ApiClient.Request(HttpMethod.Get, "/api/libraries/readiness-probe/email-log", adminKey: TestServices.AdminKey);
                using var response = await Http.SendAsync(request);
                if ((int)response.StatusCode < 500)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The dev host did not answer within {ReadyTimeout}:\n{Output}");
    }

    /// <summary>The dev host built beside this test assembly, in the same configuration (Debug or Release).</summary>
    private static string DllPath()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = RepoPaths.File("src", "Comms.DevHost", "bin", configuration, "net10.0", "Comms.DevHost.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build src/Comms.DevHost first.");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            // Keep the last lines: what matters for a failure is what happened just before it.
            if (_output.Length > 200_000)
            {
                _output.Remove(0, 100_000);
            }

            _output.AppendLine(line);
        }
    }
}
