using Comms.Dashboard;
using Comms.Functions.Http;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Dashboard;

/// <summary>The staff dashboard of one library: notices per day by status, sending health and what needs a look.</summary>
public sealed class DashboardFunctions(DashboardService dashboard, LibraryAccess access)
{
    [Function(nameof(GetDashboard))]
    public async Task<IActionResult> GetDashboard(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/dashboard")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var query = DashboardRequest.Parse(Query(request, "days"), Query(request, "scenario"));
        return new OkObjectResult(await dashboard.GetAsync(libraryId, query, request.HttpContext.RequestAborted));
    }

    private static string? Query(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var value) ? value.ToString() : null;
}
