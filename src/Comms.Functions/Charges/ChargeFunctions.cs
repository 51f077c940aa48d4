using Comms.Charges;
using Comms.Circulation;
using Comms.Functions.Circulation;
using Comms.Functions.Http;
using Comms.Outbox;
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

        // Queued on a repeat too (the first call may have died before queuing); a repeat answers the same notice.
        var notice = await charges.QueueDeclaredLostAsync(result.Loan, cancellationToken);
        return new AcceptedResult($"/api/libraries/{libraryId}/loans/{loanId}", new LostAnswer(result.Loan, result.Changed, notice));
    }

    [Function(nameof(RecordPayment))]
    public async Task<IActionResult> RecordPayment(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/patrons/{patronId}/payments")] HttpRequest request,
        string libraryId,
        string patronId)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<PaymentRequest>(request, cancellationToken: request.HttpContext.RequestAborted);
        var notice = await charges.QueuePaymentAsync(libraryId, patronId, body, request.HttpContext.RequestAborted);
        return new AcceptedResult(notice.Href, new PaymentAnswer(patronId, body.PaymentId!, notice));
    }

    /// <summary>The lost loan, whether this call changed it (false: a repeat) and the queued declared-lost notice.</summary>
    public sealed record LostAnswer(Loan Loan, bool Changed, QueuedNotice Notice);

    /// <summary>The payment's patron and id, and the queued payment-received notice (Location points at its status).</summary>
    public sealed record PaymentAnswer(string PatronId, string PaymentId, QueuedNotice Notice);
}
