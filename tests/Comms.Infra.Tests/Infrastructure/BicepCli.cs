using System.Diagnostics;
using System.Reflection;

namespace Comms.Infra.Tests.Infrastructure;

/// <summary>
/// Runs the bicep CLI shipped in the Azure.Bicep.CommandLine.linux-x64 package. The package path is baked into
/// the test assembly at build time (GeneratePathProperty), so no global install is needed.
/// </summary>
public static class BicepCli
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static Result Run(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(ExecutablePath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException("bicep did not start.");
        // Read both streams concurrently: a full stderr pipe would otherwise block the CLI forever.
        var standardError = process.StandardError.ReadToEndAsync();
        var standardOutput = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new Result(process.ExitCode, standardOutput, standardError.GetAwaiter().GetResult());
    }

    private static string ExecutablePath()
    {
        var packageDirectory = typeof(BicepCli).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "BicepPackageDirectory")
            .Value;
        if (string.IsNullOrEmpty(packageDirectory))
        {
            throw new InvalidOperationException("The Azure.Bicep.CommandLine.linux-x64 package path was not set at build time.");
        }

        var executable = Path.Combine(packageDirectory, "tools", "bicep");
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException("The bicep CLI is not in its package.", executable);
        }

        // NuGet extraction does not promise to keep the execute bit.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(executable);
            const UnixFileMode execute = UnixFileMode.UserExecute;
            if ((mode & execute) == 0)
            {
                File.SetUnixFileMode(executable, mode | execute);
            }
        }

        return executable;
    }
}
