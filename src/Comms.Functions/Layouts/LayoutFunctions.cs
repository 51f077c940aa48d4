using Comms.Functions.Http;
using Comms.Layouts;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Layouts;

/// <summary>A library's layout (logo, colours, address, footer, contact line): read, set, reset.</summary>
public sealed class LayoutFunctions(LayoutService layouts, LibraryAccess access)
{
    /// <summary>Seven short fields; anything larger is not a layout.</summary>
    public const long MaxLayoutBodyBytes = 16 * 1024;

    [Function(nameof(GetLayout))]
    public async Task<IActionResult> GetLayout(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/layout")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await layouts.GetAsync(libraryId, request.HttpContext.RequestAborted));
    }

    [Function(nameof(SetLayout))]
    public async Task<IActionResult> SetLayout(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "libraries/{libraryId}/layout")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<LayoutRequest>(request, MaxLayoutBodyBytes, request.HttpContext.RequestAborted);
        return new OkObjectResult(await layouts.SetAsync(libraryId, body, request.HttpContext.RequestAborted));
    }

    [Function(nameof(ResetLayout))]
    public async Task<IActionResult> ResetLayout(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "libraries/{libraryId}/layout")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        await layouts.ResetAsync(libraryId, request.HttpContext.RequestAborted);
        return new NoContentResult();
    }
}
