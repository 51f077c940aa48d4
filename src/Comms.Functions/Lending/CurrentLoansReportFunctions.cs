using Comms.Functions.Http;
using Comms.Lending;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Lending;

public sealed class CurrentLoansReportFunctions(LendingService lending, LibraryAccess access)
{
    /// <summary>Queues the patron's current loans report; 202 with the loans it lists and Location to the notice's status.</summary>
    [Function(nameof(SendCurrentLoansReport))]
    public async Task<IActionResult> SendCurrentLoansReport(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/patrons/{patronId}/current-loans-report")] HttpRequest request,
        string libraryId,
        string patronId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var report = await lending.QueueCurrentLoansReportAsync(libraryId, patronId, request.HttpContext.RequestAborted);
        return new AcceptedResult(report.Notice.Href, report);
    }
}
