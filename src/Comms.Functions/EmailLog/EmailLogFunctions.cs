using Comms.EmailLog;
using Comms.Functions.Http;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.EmailLog;

/// <summary>The log of one library: every send attempt of every channel (email, SMS, print), newest first, filtered and paged.</summary>
public sealed class EmailLogFunctions(EmailLogService log, LibraryAccess access)
{
    [Function(nameof(GetEmailLog))]
    public async Task<IActionResult> GetEmailLog(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/email-log")] HttpRequest request,
        string libraryId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var (pageSize, token) = Paging.Read(request);
        var filter = new EmailLogFilter(
            Query(request, "from"), Query(request, "to"), Query(request, "status"), Query(request, "scenario"), Query(request, "address"),
            pageSize, token, Query(request, "noticeId"), Query(request, "outboxNoticeId"), Query(request, "channel"));
        return new OkObjectResult(await log.QueryAsync(libraryId, filter, request.HttpContext.RequestAborted));
    }

    private static string? Query(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var value) ? value.ToString() : null;
}
