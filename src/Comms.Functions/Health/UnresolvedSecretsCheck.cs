using Comms.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Comms.Functions.Health;

/// <summary>
/// Says at start which settings hold an unresolved Key Vault reference. The app keeps running so that
/// /api/health can say the same and everything that does not need the secret goes on working; what needs it
/// refuses to use the reference text (see <see cref="SecretReferences"/>).
/// </summary>
public sealed partial class UnresolvedSecretsCheck(IConfiguration configuration, ILogger<UnresolvedSecretsCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var setting in SecretReferences.UnresolvedSettings(configuration))
        {
            LogUnresolved(logger, SecretReferences.Problem(setting));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Problem}")]
    private static partial void LogUnresolved(ILogger logger, string problem);
}
