using Comms.Charges;
using Comms.Functions.Circulation;
using Comms.Functions.Http;
using Comms.Lending;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Comms.Functions.Lending;

/// <summary>A check-in session: the loans come back, their ladders end, and one receipt lists them.</summary>
public sealed class CheckInFunctions(CheckInService checkIns, ChargeNotices charges, LibraryAccess access)
{
    [Function(nameof(CheckIn))]
    public async Task<IActionResult> CheckIn(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/check-ins")] HttpRequest request,
        string libraryId,
        [DurableClient] DurableTaskClient client)
    {
        await access.AuthorizeAsync(request, libraryId);
        var cancellationToken = request.HttpContext.RequestAborted;
        var body = await RequestBody.ReadJsonAsync<CheckInRequest>(request, cancellationToken: cancellationToken);
        var session = await checkIns.CheckInAsync(libraryId, body, cancellationToken);
        foreach (var loan in session.ReturnedNow)
        {
            await LoanSignals.RaiseIfRunningAsync(client, libraryId, loan.LoanId, new LoanEvent(LoanEventKind.Return), cancellationToken);
            if (loan.LostAt is not null)
            {
                await charges.SendLostReturnedAsync(loan, remaining: null, cancellationToken);
            }
        }

        var receipt = await checkIns.SendReceiptAsync(libraryId, body.PatronId!, session, cancellationToken);
        return new AcceptedResult((string?)null, new { loans = session.Loans.Select(l => l.LoanId), returned = session.ReturnedNow.Count, receipt });
    }
}
