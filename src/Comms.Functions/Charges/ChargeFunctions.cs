using Comms.Charges;
using Comms.Circulation;
using Comms.Functions.Circulation;
using Comms.Functions.Http;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Comms.Functions.Charges;

/// <summary>The library system's charge events: a loan declared lost, a payment taken (a lost loan's return is POST …/return).</summary>
public sealed class ChargeFunctions(LostLoanService lost, ChargeNotices charges, LibraryAccess access)
{
    [Function(nameof(DeclareLoanLost))]
    public async Task<IActionResult> DeclareLoanLost(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/loans/{loanId}/lost")] HttpRequest request,
        string libraryId,
        string loanId,
        [DurableClient] DurableTaskClient client)
    {
        await access.AuthorizeAsync(request, libraryId);
        var cancellationToken = request.HttpContext.RequestAborted;
        var body = request.ContentLength is null or 0 && !request.Headers.TransferEncoding.Any()
            ? new DeclareLostRequest()
            : await RequestBody.ReadJsonAsync<DeclareLostRequest>(request, cancellationToken: cancellationToken);
        var result = await lost.DeclareLostAsync(libraryId, loanId, body, cancellationToken);

        // The ladder ends; a loan whose ladder already finished (or never started) has nothing to stop.
        if (result.Changed)
        {
            await LoanSignals.RaiseIfRunningAsync(client, libraryId, loanId, new LoanEvent(LoanEventKind.Lost), cancellationToken);
        }

        // Sent on a repeat too (the first call may have died before sending); the ledger keeps it to one email.
        var delivery = await charges.SendDeclaredLostAsync(result.Loan, cancellationToken);
        return new AcceptedResult($"/api/libraries/{libraryId}/loans/{loanId}", new { loan = result.Loan, result.Changed, delivery });
    }

    [Function(nameof(RecordPayment))]
    public async Task<IActionResult> RecordPayment(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/patrons/{patronId}/payments")] HttpRequest request,
        string libraryId,
        string patronId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<PaymentRequest>(request, cancellationToken: request.HttpContext.RequestAborted);
        var delivery = await charges.SendPaymentAsync(libraryId, patronId, body, request.HttpContext.RequestAborted);
        return new AcceptedResult((string?)null, new { patronId, body.PaymentId, delivery });
    }
}
