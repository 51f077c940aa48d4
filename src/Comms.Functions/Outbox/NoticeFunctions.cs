using Comms.Functions.Http;
using Comms.Outbox;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Outbox;

/// <summary>An immediate notice after it was queued: its status, and the staff actions on it (cancel, resend).</summary>
public sealed class NoticeFunctions(NoticeStatusService notices, LibraryAccess access)
{
    [Function(nameof(GetNotice))]
    public async Task<IActionResult> GetNotice(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/notices/{noticeId}")] HttpRequest request,
        string libraryId,
        string noticeId)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await notices.GetAsync(libraryId, noticeId, request.HttpContext.RequestAborted));
    }

    /// <summary>Cancels a queued notice; 409 once it is being sent or has ended.</summary>
    [Function(nameof(CancelNotice))]
    public async Task<IActionResult> CancelNotice(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/notices/{noticeId}/cancel")] HttpRequest request,
        string libraryId,
        string noticeId)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await notices.CancelAsync(libraryId, noticeId, request.HttpContext.RequestAborted));
    }

    /// <summary>Queues a new notice linked to this one, re-rendered from the current template; 202 with its status link.</summary>
    [Function(nameof(ResendNotice))]
    public async Task<IActionResult> ResendNotice(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/notices/{noticeId}/resend")] HttpRequest request,
        string libraryId,
        string noticeId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var queued = await notices.ResendAsync(libraryId, noticeId, request.HttpContext.RequestAborted);
        return new AcceptedResult(queued.Href, queued);
    }
}
