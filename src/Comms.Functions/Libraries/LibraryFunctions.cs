using Comms.Functions.Http;
using Comms.Libraries;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Libraries;

/// <summary>Library settings: created by the platform admin, then managed with the library's own key.</summary>
public sealed class LibraryFunctions(LibraryService libraries, LibraryAccess access)
{
    [Function(nameof(CreateLibrary))]
    public async Task<IActionResult> CreateLibrary(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries")] HttpRequest request)
    {
        access.AuthorizePlatformAdmin(request);
        var library = await RequestBody.ReadJsonAsync<Library>(request, cancellationToken: request.HttpContext.RequestAborted);
        var (created, apiKey) = await libraries.CreateAsync(library, request.HttpContext.RequestAborted);
        return new CreatedResult($"/api/libraries/{created.Id}", new CreatedLibrary(created, apiKey));
    }

    [Function(nameof(GetLibrary))]
    public async Task<IActionResult> GetLibrary(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await libraries.GetAsync(libraryId, request.HttpContext.RequestAborted));
    }

    [Function(nameof(UpdateLibrary))]
    public async Task<IActionResult> UpdateLibrary(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "libraries/{libraryId}")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var library = await RequestBody.ReadJsonAsync<Library>(request, cancellationToken: request.HttpContext.RequestAborted);
        return new OkObjectResult(await libraries.UpdateAsync(libraryId, library, request.HttpContext.RequestAborted));
    }

    [Function(nameof(DeleteLibrary))]
    public async Task<IActionResult> DeleteLibrary(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "libraries/{libraryId}")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        await libraries.DeleteAsync(libraryId, request.HttpContext.RequestAborted);
        return new NoContentResult();
    }

    /// <summary>Issues a new key; the old one stops working at once.</summary>
    [Function(nameof(RotateLibraryKey))]
    public async Task<IActionResult> RotateLibraryKey(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/keys/rotate")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        await libraries.GetAsync(libraryId, request.HttpContext.RequestAborted);
        var apiKey = await libraries.RotateKeyAsync(libraryId, request.HttpContext.RequestAborted);
        return new OkObjectResult(new RotatedKey(libraryId, apiKey));
    }

    public sealed record CreatedLibrary(Library Library, string ApiKey);

    public sealed record RotatedKey(string LibraryId, string ApiKey);
}
