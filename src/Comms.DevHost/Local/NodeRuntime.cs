using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Comms.DevHost.Local;

/// <summary>
/// The Node.js that runs Azurite. azurite 3.37.0 declares Node 22+; Node 20 runs it and every test here
/// (npm ci only warns), so 20 is the floor and anything older stops the start with what to install.
/// </summary>
public static class NodeRuntime
{
    public const int MinimumMajor = 20;

    private const string Install = "install Node.js 22 (20 works), run `npm ci` at the repository root, then start the dev host again";

    /// <summary>The major version of `node` on PATH; a <see cref="LocalSetupException"/> when it is missing or too old.</summary>
    public static async Task<int> RequireAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("--version");
        string version;
        try
        {
            using var process = Process.Start(info) ?? throw new LocalSetupException($"`node` did not start: {Install}.");
            version = (await process.StandardOutput.ReadToEndAsync(cancellationToken)).Trim();
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (Win32Exception)
        {
            throw new LocalSetupException($"Node.js was not found on PATH; the dev host starts Azurite with it: {Install}.");
        }

        var major = ParseMajor(version);
        return major >= MinimumMajor
            ? major
            : throw new LocalSetupException($"Node.js {version} is too old to run Azurite (node_modules/azurite): {Install}.");
    }

    /// <summary>"v20.20.2" is 20; anything unreadable is 0, i.e. too old.</summary>
    public static int ParseMajor(string version) =>
        int.TryParse(version.TrimStart('v').Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : 0;
}
