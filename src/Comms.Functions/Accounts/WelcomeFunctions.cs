using Comms.Accounts;
using Comms.Functions.Http;
using Comms.Outbox;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Accounts;

public sealed class WelcomeFunctions(WelcomeNotices welcome, LibraryAccess access)
{
    /// <summary>
    /// The library system registered a new member: the welcome notice is queued (once a day at most) and the answer
    /// is 202 with Location to its status; it is sent in the background.
    /// </summary>
    [Function(nameof(SendWelcome))]
    public async Task<IActionResult> SendWelcome(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/patrons/{patronId}/welcome")] HttpRequest request,
        string libraryId,
        string patronId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var notice = await welcome.QueueAsync(libraryId, patronId, request.HttpContext.RequestAborted);
        return new AcceptedResult(notice.Href, new WelcomeAnswer(patronId, notice));
    }

    public sealed record WelcomeAnswer(string PatronId, QueuedNotice Notice);
}
