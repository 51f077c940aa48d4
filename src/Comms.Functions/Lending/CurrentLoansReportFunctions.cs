using Comms.Functions.Http;
using Comms.Lending;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Lending;

public sealed class CurrentLoansReportFunctions(LendingService lending, LibraryAccess access)
{
    /// <summary>Sends the patron's current loans report at once; 202 with the loans it listed.</summary>
    [Function(nameof(SendCurrentLoansReport))]
    public async Task<IActionResult> SendCurrentLoansReport(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/patrons/{patronId}/current-loans-report")] HttpRequest request,
        string libraryId,
        string patronId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var report = await lending.SendCurrentLoansReportAsync(libraryId, patronId, request.HttpContext.RequestAborted);
        return new AcceptedResult((string?)null, report);
    }
}
