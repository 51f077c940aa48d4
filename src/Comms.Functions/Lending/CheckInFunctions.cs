using Comms.Charges;
using Comms.Functions.Circulation;
using Comms.Functions.Http;
using Comms.Lending;
using Comms.Outbox;
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
        }

        // Every notice is queued, never sent here: the desk never waits on, or fails because of, the provider. Queued
        // on a repeat too (the first call may have died before queuing); a repeat derives the same ids, so it answers
        // the same notices and nothing goes twice.
        var lostReturned = new List<QueuedNotice>();
        foreach (var loan in session.Loans.Where(l => l.LostAt is not null))
        {
            lostReturned.Add(await charges.QueueLostReturnedAsync(loan, remaining: null, cancellationToken));
        }

        var receipt = await checkIns.QueueReceiptAsync(libraryId, body.PatronId!, session, cancellationToken);
        return new AcceptedResult(receipt.Href, new CheckInAnswer([.. session.Loans.Select(l => l.LoanId)], session.ReturnedNow.Count, receipt, lostReturned));
    }

    /// <summary>The session's loans, how many this call returned, the queued receipt and a lost-item-returned notice per lost loan.</summary>
    public sealed record CheckInAnswer(IReadOnlyList<string> Loans, int Returned, QueuedNotice Receipt, IReadOnlyList<QueuedNotice> LostItemReturned);
}
