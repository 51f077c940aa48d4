using Comms.Templates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Templates;

/// <summary>
/// The scenario catalogue for template authors. It holds no library's data (only made-up samples), so it
/// needs no library key; the function key still applies in Azure.
/// </summary>
public sealed class ScenarioFunctions(TimeProvider clock)
{
    [Function(nameof(ListScenarios))]
    public IActionResult ListScenarios(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "scenarios")] HttpRequest request)
    {
        _ = request;
        return new OkObjectResult(new { Items = ScenarioInfo.All(clock.GetUtcNow()) });
    }
}
