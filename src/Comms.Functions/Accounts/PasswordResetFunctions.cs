using Comms.Accounts;
using Comms.Functions.Http;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Accounts;

public sealed class PasswordResetFunctions(PasswordResetService resets, LibraryAccess access)
{
    /// <summary>Queues the reset email: 202 with Location to its status; 429 with Retry-After when the patron asked too often.</summary>
    [Function(nameof(SendPasswordReset))]
    public async Task<IActionResult> SendPasswordReset(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/password-resets")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<PasswordResetRequest>(request, 16 * 1024, request.HttpContext.RequestAborted);
        var queued = await resets.SendAsync(libraryId, body, request.HttpContext.RequestAborted);
        return new AcceptedResult(queued.Href, queued);
    }
}
