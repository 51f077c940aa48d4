using Comms.Functions.Http;
using Comms.MessageCopies;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.EmailLog;

/// <summary>The redacted copy of the message a log row's notice sent (docs/message-copies.md).</summary>
public sealed class MessageCopyFunctions(MessageCopyService copies, LibraryAccess access)
{
    /// <summary>
    /// Under the email log because the id is the log row's <c>noticeId</c> (one recipient's), not an outbox notice's.
    /// The blob is looked up under the authorised library's prefix, so another library's key never reaches a copy.
    /// </summary>
    [Function(nameof(GetMessageCopy))]
    public async Task<IActionResult> GetMessageCopy(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/email-log/notices/{noticeId}/message")] HttpRequest request,
        string libraryId,
        string noticeId)
    {
        await access.AuthorizeAsync(request, libraryId);
        return new OkObjectResult(await copies.GetAsync(libraryId, noticeId, request.HttpContext.RequestAborted));
    }
}
