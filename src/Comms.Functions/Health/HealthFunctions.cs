using Comms.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace Comms.Functions.Health;

/// <summary>
/// GET /api/health for probes and people: 200 when the configuration is usable, 503 naming each setting
/// that is not (an unresolved Key Vault reference). Names only, never values, so it needs no key.
/// </summary>
public sealed class HealthFunctions(IConfiguration configuration)
{
    [Function(nameof(Health))]
    public IActionResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        _ = request;
        var problems = SecretReferences.UnresolvedSettings(configuration)
            .Select(setting => new HealthProblem(setting, SecretReferences.Problem(setting)))
            .ToList();
        return problems.Count == 0
            ? new OkObjectResult(new HealthReport("healthy", []))
            : new ObjectResult(new HealthReport("unhealthy", problems)) { StatusCode = StatusCodes.Status503ServiceUnavailable };
    }

    public sealed record HealthReport(string Status, IReadOnlyList<HealthProblem> Problems);

    public sealed record HealthProblem(string Setting, string Problem);
}
