using Comms.Accounts;
using Comms.Functions.Http;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Accounts;

public sealed class PasswordResetFunctions(PasswordResetService resets, LibraryAccess access)
{
    /// <summary>Sends the reset email at once; 429 with Retry-After when the patron asked too often.</summary>
    [Function(nameof(SendPasswordReset))]
    public async Task<IActionResult> SendPasswordReset(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/password-resets")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<PasswordResetRequest>(request, 16 * 1024, request.HttpContext.RequestAborted);
        var result = await resets.SendAsync(libraryId, body, request.HttpContext.RequestAborted);
        return new AcceptedResult((string?)null, result);
    }
}
