using Comms.Accounts;
using Comms.Functions.Http;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Accounts;

public sealed class WelcomeFunctions(WelcomeNotices welcome, LibraryAccess access)
{
    /// <summary>The library system registered a new member: the welcome notice goes at once (once a day at most).</summary>
    [Function(nameof(SendWelcome))]
    public async Task<IActionResult> SendWelcome(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/patrons/{patronId}/welcome")] HttpRequest request,
        string libraryId,
        string patronId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var delivery = await welcome.SendAsync(libraryId, patronId, request.HttpContext.RequestAborted);
        return new AcceptedResult((string?)null, new { patronId, delivery });
    }
}
