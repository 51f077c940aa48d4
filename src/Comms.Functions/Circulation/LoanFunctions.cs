using Comms.Charges;
using Comms.Circulation;
using Comms.Common;
using Comms.Functions.Durable;
using Comms.Functions.Http;
using Comms.Lending;
using Comms.Security;
using Comms.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Comms.Functions.Circulation;

/// <summary>The library system's loan events: issue, renew, return, recall, and the notice status of a loan.</summary>
public sealed class LoanFunctions(LoanService loans, LoanStepPlanner planner, LendingService lending, ChargeNotices charges, LibraryAccess access, TimeProvider time, IOptions<CirculationOptions> options)
{
    [Function(nameof(IssueLoans))]
    public async Task<IActionResult> IssueLoans(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/loans")] HttpRequest request,
        string libraryId,
        [DurableClient] DurableTaskClient client)
    {
        await access.AuthorizeAsync(request, libraryId);
        var cancellationToken = request.HttpContext.RequestAborted;
        var body = await RequestBody.ReadJsonAsync<IssueLoansRequest>(request, cancellationToken: cancellationToken);

        // Storing, planning and queuing the receipt each need the library and the patron: one read of each serves them.
        using var snapshot = ReadSnapshot.Begin();
        var issued = await loans.IssueAsync(libraryId, body, cancellationToken);

        // Plan (and so register for digests) every loan of the session before starting any, from the instant the
        // session was stored (one for all its loans), so loans checked out together are listed together even in a
        // step that falls very soon. A retry after a crash between storing and starting plans from that instant
        // too: a step that fell due in between is sent late, not skipped as if the loan had arrived after it.
        var starts = new List<(Loan Loan, LoanStart Start)>();
        foreach (var item in issued)
        {
            if (await NeedsStartAsync(client, item.Loan, justStored: item.Created, cancellationToken))
            {
                starts.Add((item.Loan, await PlanStartAsync(item.Loan, item.Loan.IssuedAt, cancellationToken)));
            }
        }

        foreach (var (loan, start) in starts)
        {
            await StartAsync(client, loan, start, cancellationToken);
        }

        // The receipt is queued after the ladders are safely started, and sent in the background: the checkout
        // never waits on, or fails because of, the email provider. A repeat post answers the same notice.
        var receipt = await lending.QueueReceiptAsync(libraryId, body.PatronId!, [.. issued.Select(i => i.Loan)], cancellationToken);

        var result = new IssuedLoans([.. issued.Select(i => new IssuedLoanView(i.Loan.LoanId, i.Created, LoanInstanceIds.For(libraryId, i.Loan.LoanId)))], receipt);
        return issued.Any(i => i.Created)
            ? new CreatedResult(issued.Count == 1 ? $"/api/libraries/{libraryId}/loans/{issued[0].Loan.LoanId}" : $"/api/libraries/{libraryId}/loans", result)
            : new OkObjectResult(result);
    }

    [Function(nameof(GetLoan))]
    public async Task<IActionResult> GetLoan(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "libraries/{libraryId}/loans/{loanId}")] HttpRequest request,
        string libraryId,
        string loanId,
        [DurableClient] DurableTaskClient client)
    {
        await access.AuthorizeAsync(request, libraryId);
        var loan = await loans.GetAsync(libraryId, loanId, request.HttpContext.RequestAborted);
        var instance = await client.GetInstanceAsync(LoanInstanceIds.For(libraryId, loanId), getInputsAndOutputs: true, request.HttpContext.RequestAborted);
        return new OkObjectResult(new LoanView(loan, ReportedStatus.Of(instance), instance?.ReadCustomStatusAs<LoanNoticeStatus>(), instance?.FailureDetails?.ErrorMessage));
    }

    [Function(nameof(RenewLoan))]
    public async Task<IActionResult> RenewLoan(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/loans/{loanId}/renew")] HttpRequest request,
        string libraryId,
        string loanId,
        [DurableClient] DurableTaskClient client)
    {
        await access.AuthorizeAsync(request, libraryId);
        var body = await RequestBody.ReadJsonAsync<RenewLoanRequest>(request, cancellationToken: request.HttpContext.RequestAborted);
        var loan = await loans.RenewAsync(libraryId, loanId, body, request.HttpContext.RequestAborted);
        await SignalAsync(client, loan, new LoanEvent(LoanEventKind.Renew, loan.DueAt), request.HttpContext.RequestAborted);
        return Accepted(loan);
    }

    [Function(nameof(ReturnLoan))]
    public async Task<IActionResult> ReturnLoan(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/loans/{loanId}/return")] HttpRequest request,
        string libraryId,
        string loanId,
        [DurableClient] DurableTaskClient client)
    {
        await access.AuthorizeAsync(request, libraryId);
        // The body is optional; only the return of a lost item uses it (what is still charged for it).
        var body = request.ContentLength is null or 0 && !request.Headers.TransferEncoding.Any()
            ? new ReturnLoanRequest()
            : await RequestBody.ReadJsonAsync<ReturnLoanRequest>(request, cancellationToken: request.HttpContext.RequestAborted);
        ChargeAmounts.ThrowIfBad(body.RemainingCharge, "remainingCharge");
        Loan loan;
        try
        {
            loan = await loans.ReturnAsync(libraryId, loanId, request.HttpContext.RequestAborted);
        }
        catch (ConflictException)
        {
            // Returned already (409 as before). A lost item's first return may have died between storing the
            // return and queuing its notice: queuing again answers the same notice, so the repeat repairs that.
            if (await loans.GetAsync(libraryId, loanId, request.HttpContext.RequestAborted) is { Status: LoanStatus.Returned, LostAt: not null } back)
            {
                await charges.QueueLostReturnedAsync(back, body.RemainingCharge, request.HttpContext.RequestAborted);
            }

            throw;
        }

        await SignalAsync(client, loan, new LoanEvent(LoanEventKind.Return), request.HttpContext.RequestAborted);
        if (loan.LostAt is null)
        {
            return Accepted(loan);
        }

        // A lost item back: the charge-adjusted notice is queued, never sent inside the call.
        var notice = await charges.QueueLostReturnedAsync(loan, body.RemainingCharge, request.HttpContext.RequestAborted);
        return new AcceptedResult(Location(loan), new LoanView(loan, null, null, null) { Notice = notice });
    }

    [Function(nameof(RecallLoan))]
    public async Task<IActionResult> RecallLoan(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "libraries/{libraryId}/loans/{loanId}/recall")] HttpRequest request,
        string libraryId,
        string loanId,
        [DurableClient] DurableTaskClient client)
    {
        await access.AuthorizeAsync(request, libraryId);
        // The body is optional: a recall without a new due date or reason is still a recall.
        var body = request.ContentLength is null or 0 && !request.Headers.TransferEncoding.Any()
            ? new RecallLoanRequest()
            : await RequestBody.ReadJsonAsync<RecallLoanRequest>(request, cancellationToken: request.HttpContext.RequestAborted);
        var recall = await loans.RecallAsync(libraryId, loanId, body, request.HttpContext.RequestAborted);
        var loanEvent = new LoanEvent(LoanEventKind.Recall, recall.DueMoved ? recall.Loan.DueAt : null, body.Reason, recall.ReturnBy);
        await SignalAsync(client, recall.Loan, loanEvent, request.HttpContext.RequestAborted);
        return Accepted(recall.Loan);
    }

    private static AcceptedResult Accepted(Loan loan) => new(Location(loan), new LoanView(loan, null, null, null));

    private static string Location(Loan loan) => $"/api/libraries/{loan.LibraryId}/loans/{loan.LoanId}";

    /// <summary>
    /// Starts the loan's orchestration unless it already exists. The existence check matters: on Azure Storage
    /// scheduling an existing instance id restarts it. A loan row without an instance (the process died
    /// between the two writes) is started by the retry, so posting again repairs it.
    /// </summary>
    private async Task EnsureStartedAsync(DurableTaskClient client, Loan loan, CancellationToken cancellationToken)
    {
        if (await NeedsStartAsync(client, loan, justStored: false, cancellationToken))
        {
            await StartAsync(client, loan, await PlanStartAsync(loan, time.GetUtcNow(), cancellationToken), cancellationToken);
        }
    }

    /// <summary>
    /// Whether the loan's orchestration must be started here: the loan is active and has none. A loan this
    /// request did not store, stored less than <see cref="CirculationOptions.StartGrace"/> ago, answers 503
    /// instead: the post that stored it may have queued the start before dying (see StartGrace).
    /// A loan this request has just stored has no orchestration yet (one starts only after its row exists, and a
    /// loan row is deleted only after its ladder ended), so it skips the instance lookup, a round trip per loan
    /// that on Azurite reads the whole Instances table.
    /// </summary>
    private async Task<bool> NeedsStartAsync(DurableTaskClient client, Loan loan, bool justStored, CancellationToken cancellationToken)
    {
        if (justStored && loan.Status == LoanStatus.Active)
        {
            return true;
        }

        if (loan.Status != LoanStatus.Active || await client.GetInstanceAsync(LoanInstanceIds.For(loan.LibraryId, loan.LoanId), cancellationToken) is not null)
        {
            return false;
        }

        var wait = loan.IssuedAt + options.Value.StartGrace - time.GetUtcNow();
        if (!justStored && wait > TimeSpan.Zero)
        {
            throw new RetryLaterException($"Loan '{loan.LoanId}' was stored by an earlier request whose start may still be queued; retry after {Math.Ceiling(wait.TotalSeconds)} s.", wait);
        }

        return true;
    }

    // Planning here instead of in the orchestration saves an activity call and a replay per loan.
    private async Task<LoanStart> PlanStartAsync(Loan loan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (track, next) = await planner.PlanStartAsync(loan, now, cancellationToken);
        return new LoanStart(track, Planned: true, next);
    }

    private static Task StartAsync(DurableTaskClient client, Loan loan, LoanStart start, CancellationToken cancellationToken) =>
        client.ScheduleNewOrchestrationInstanceAsync(
            nameof(LoanOrchestration.LoanOrchestrator), start, new StartOrchestrationOptions(LoanInstanceIds.For(loan.LibraryId, loan.LoanId)), cancellationToken);

    private async Task SignalAsync(DurableTaskClient client, Loan loan, LoanEvent loanEvent, CancellationToken cancellationToken)
    {
        var instanceId = LoanInstanceIds.For(loan.LibraryId, loan.LoanId);
        if (await client.GetInstanceAsync(instanceId, cancellationToken) is not { } instance)
        {
            // Never started (see EnsureStartedAsync): start it from the row, which already carries this event's effect.
            await EnsureStartedAsync(client, loan, cancellationToken);
            return;
        }

        // A loan issued a moment ago may not have started yet: the event waits for it rather than being lost.
        await InstanceEvents.RaiseAsync(client, instance, LoanOrchestration.EventName, loanEvent, cancellationToken);
    }

    /// <summary>The loans, and the receipt notice the post queued (null when no loan of it is still out).</summary>
    public sealed record IssuedLoans(IReadOnlyList<IssuedLoanView> Loans, Comms.Outbox.QueuedNotice? Receipt);

    public sealed record IssuedLoanView(string LoanId, bool Created, string InstanceId);

    /// <summary>The loan, its orchestration's runtime status, its notice status, and the engine's error if the orchestration failed.</summary>
    public sealed record LoanView(Loan Loan, string? RuntimeStatus, LoanNoticeStatus? Notices, string? Error)
    {
        /// <summary>The notice this call queued (lost-item-returned on a lost loan's return), with its status link.</summary>
        public Comms.Outbox.QueuedNotice? Notice { get; init; }
    }
}
