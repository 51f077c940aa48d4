using Comms.Functions.Http;
using Comms.Security;
using Comms.Suppression;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Suppression;

/// <summary>Email log report > Manage blacklist: the blacklisted addresses of this library's contacts.</summary>
public sealed class BlacklistFunctions(LibraryBlacklistService blacklist, BlacklistAudit audit, LibraryAccess access)
{
    [Function(nameof(ListLibraryBlacklist))]
    public async Task<IActionResult> ListLibraryBlacklist(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/blacklist")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var (pageSize, token) = Paging.Read(request);
        return new OkObjectResult(await blacklist.ListAsync(libraryId, pageSize, token, request.HttpContext.RequestAborted));
    }

    [Function(nameof(RemoveFromLibraryBlacklist))]
    public async Task<IActionResult> RemoveFromLibraryBlacklist(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "libraries/{libraryId}/blacklist/{address}")] HttpRequest request,
        string libraryId,
        string address)
    {
        await access.AuthorizeAsync(request, libraryId);
        var removed = await blacklist.RemoveAsync(libraryId, Uri.UnescapeDataString(address), Caller(request), request.HttpContext.RequestAborted);
        return new OkObjectResult(removed);
    }

    [Function(nameof(ListBlacklistAudit))]
    public async Task<IActionResult> ListBlacklistAudit(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/blacklist-audit")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var (pageSize, token) = Paging.Read(request);
        return new OkObjectResult(await audit.ListAsync(libraryId, pageSize, token, request.HttpContext.RequestAborted));
    }

    private static string Caller(HttpRequest request) => LibraryAccessExtensions.CallerOf(request);
}
