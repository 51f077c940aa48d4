using Comms.Tests.Infrastructure;

namespace Comms.Tests.DevHost;

/// <summary>
/// The dev host as a newcomer without Node.js meets it: storage on free loopback ports, so it must start
/// Azurite, and no `node` on PATH. The start ends with one line naming what to install, not a stack trace.
/// </summary>
public sealed class MissingNodeTests
{
    // Azurite's published development account.
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Fact]
    public async Task Start_NoNodeOnPath_ExitsWithOneLineNamingWhatToInstall()
    {
        var emptyPath = Directory.CreateTempSubdirectory("comms-no-node").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["Comms:Storage:ConnectionString"] =
                $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};"
                + $"BlobEndpoint=http://127.0.0.1:{NodeProcess.FreePort()}/{Account};"
                + $"QueueEndpoint=http://127.0.0.1:{NodeProcess.FreePort()}/{Account};"
                + $"TableEndpoint=http://127.0.0.1:{NodeProcess.FreePort()}/{Account};",
            ["Comms:Security:PlatformAdminKey"] = TestServices.AdminKey,
            // The dev host itself is already running under dotnet; only its own search for `node` finds nothing.
            ["PATH"] = emptyPath,
        };

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => DevHostProcess.StartAsync(settings));

        Assert.Contains("The dev host exited with 1", failure.Message, StringComparison.Ordinal);
        Assert.Contains("The dev host cannot start: Node.js was not found on PATH", failure.Message, StringComparison.Ordinal);
        Assert.Contains("install Node.js 22", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", failure.Message, StringComparison.Ordinal);
    }
}
