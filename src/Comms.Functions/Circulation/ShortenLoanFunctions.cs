using Comms.Circulation;
using Comms.Functions.Http;
using Comms.Outbox;
using Comms.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Comms.Functions.Circulation;

/// <summary>The library system shortens a loan: the ladder is re-planned from the new due date and the reader told.</summary>
public sealed class ShortenLoanFunctions(ShortenedLoanService shortened, NoticeOutbox outbox, LibraryAccess access)
{
    [Function(nameof(ShortenLoan))]
    public async Task<IActionResult> ShortenLoan(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/loans/{loanId}/shorten")] HttpRequest request,
        string libraryId,
        string loanId,
        [DurableClient] DurableTaskClient client)
    {
        await access.AuthorizeAsync(request, libraryId);
        var cancellationToken = request.HttpContext.RequestAborted;
        var body = await RequestBody.ReadJsonAsync<ShortenDueRequest>(request, cancellationToken: cancellationToken);
        var result = await shortened.ShortenAsync(libraryId, loanId, body, cancellationToken);
        if (result.Changed)
        {
            // A new due date is a new ladder, exactly as for a renew.
            await LoanSignals.RaiseIfRunningAsync(client, libraryId, loanId, new LoanEvent(LoanEventKind.Renew, result.Loan.DueAt), cancellationToken);
        }

        // Queued, never sent here; queued on a repeat too (the first call may have died before queuing): the same
        // loan and new due date derive the same notice id, so a repeat answers the same notice.
        var notice = await outbox.EnqueueAsync(result.Notice, cancellationToken);
        return new AcceptedResult($"/api/libraries/{libraryId}/loans/{loanId}", new ShortenAnswer(result.Loan, result.Changed, notice));
    }

    /// <summary>The shortened loan, whether this call changed it (false: a repeat) and the queued due-date-shortened notice.</summary>
    public sealed record ShortenAnswer(Loan Loan, bool Changed, QueuedNotice Notice);
}
