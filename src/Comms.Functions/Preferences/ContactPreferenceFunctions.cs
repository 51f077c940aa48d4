using Comms.Functions.Http;
using Comms.Preferences;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Preferences;

/// <summary>
/// The library system reads and clears what a contact address turned off for every patron it is a contact of (the
/// link in a household, class or summary email; docs/preferences.md).
/// </summary>
public sealed class ContactPreferenceFunctions(ContactOptOutService contacts, LibraryAccess access)
{
    /// <summary>The list is at most one name per scenario; a small body is plenty.</summary>
    public const long MaxBodyBytes = 16 * 1024;

    [Function(nameof(GetContactPreferences))]
    public async Task<IActionResult> GetContactPreferences(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/contacts/{address}/preferences")] HttpRequest request,
        string libraryId,
        string address)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await contacts.GetAsync(libraryId, Uri.UnescapeDataString(address), request.HttpContext.RequestAborted));
    }

    /// <summary>Replaces the list; <c>{"offForAllPatrons": []}</c> turns every notice back on for this address.</summary>
    [Function(nameof(PutContactPreferences))]
    public async Task<IActionResult> PutContactPreferences(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "libraries/{libraryId}/contacts/{address}/preferences")] HttpRequest request,
        string libraryId,
        string address)
    {
        await access.AuthorizeAsync(request, libraryId);
        var input = await RequestBody.ReadJsonAsync<ContactOptOutInput>(request, MaxBodyBytes, request.HttpContext.RequestAborted);
        var by = PreferenceFunctions.Caller(request);
        return new OkObjectResult(await contacts.SetAsync(libraryId, Uri.UnescapeDataString(address), input, by, request.HttpContext.RequestAborted));
    }

    /// <summary>Every contact self-service link sent to this address stops working (a shared or lost inbox); the next email carries a fresh one.</summary>
    [Function(nameof(RevokeContactPreferenceLinks))]
    public async Task<IActionResult> RevokeContactPreferenceLinks(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/contacts/{address}/preferences/revoke-links")] HttpRequest request,
        string libraryId,
        string address)
    {
        await access.AuthorizeAsync(request, libraryId);
        await contacts.RevokeLinksAsync(libraryId, Uri.UnescapeDataString(address), PreferenceFunctions.Caller(request), request.HttpContext.RequestAborted);
        return new NoContentResult();
    }
}
