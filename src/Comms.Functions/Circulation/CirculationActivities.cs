using Comms.Circulation;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Storage;
using Comms.Templates;
using Microsoft.Azure.Functions.Worker;

namespace Comms.Functions.Circulation;

/// <summary>All of a loan's I/O: reading settings, registering digests, handing notices to the dispatcher.</summary>
public sealed class CirculationActivities(
    LoanStepPlanner planner, LoanPlanIndex planIndex, LoanDigests digests, ContactDigests contactDigests, LoanStore loans, LibraryStore libraries, INoticeDispatcher dispatcher, LostLoanService lost)
{
    [Function(nameof(PlanLoanStep))]
    public async Task<PlannedStep?> PlanLoanStep([ActivityTrigger] LoanTrack track)
    {
        using var snapshot = ReadSnapshot.Begin();
        return await planner.PlanAsync(track);
    }

    /// <summary>The ladder ended (returned, lost): the loan leaves the send-time index the dashboard counts.</summary>
    [Function(nameof(ClearLoanPlan))]
    public Task ClearLoanPlan([ActivityTrigger] LoanTrack track) => planIndex.ClearAsync(track.LibraryId, track.LoanId);

    [Function(nameof(ReplanLoanStep))]
    public async Task<PlannedStep?> ReplanLoanStep([ActivityTrigger] ReplanInput input)
    {
        using var snapshot = ReadSnapshot.Begin();
        return await planner.ReplanAsync(input.Track, input.Current);
    }

    /// <summary>
    /// Sends the step (or leaves it to the digest that lists this loan), then plans the next step from the settings as
    /// this activity read them: one read of the library, the patron and each loan serves the whole step (ReadSnapshot).
    /// </summary>
    [Function(nameof(SendLoanStep))]
    public async Task<StepResult> SendLoanStep([ActivityTrigger] StepInput input)
    {
        using var snapshot = ReadSnapshot.Begin();
        var request = await digests.ClaimAsync(input.Track, input.Step);

        // The status tells what the email log tells: a step the library's rules skipped is "skipped", not "sent".
        var outcome = request is null ? "digest" : (await SendToPatronAndContactsAsync(input, request)).Outcome;

        // The ladder's last step charges the loan as lost: after the notice, so a retry still finds it listed.
        if (input.Step.Step == Scenarios.ScenarioKey.Kebab(Scenario.DeclaredLost))
        {
            await lost.MarkLostByLadderAsync(input.Track.LibraryId, input.Track.LoanId, input.Step.FireAt);
        }

        var sent = input.Track with { Sent = [.. input.Track.Sent, new SentStep(input.Step.Step, input.Step.FireAt, outcome)] };
        return new StepResult(outcome, await planner.PlanAsync(sent));
    }

    /// <summary>
    /// The patron's own email, then what the patron's shared contacts hear: each contact gets one email per step
    /// across all the patrons it is a contact for (<see cref="ContactDigests"/>).
    /// </summary>
    private async Task<NoticeDispatchResult> SendToPatronAndContactsAsync(StepInput input, NoticeRequest request)
    {
        // Only the steps contacts hear about together (pre-overdue, overdue, escalations) leave them to ContactDigests.
        var personal = await dispatcher.DispatchAsync(request with { OwnContactsOnly = TemplateKey.HasShapes(request.Scenario.Scenario) });
        var library = await libraries.GetForSendingAsync(input.Track.LibraryId);
        return library is null ? personal : personal.Add(await contactDigests.SendAsync(library, input.Track, input.Step, request, dispatcher));
    }

    /// <summary>A recall goes at once, for this loan alone: it asks for the item back, so it is never held for a digest.</summary>
    [Function(nameof(SendRecallNotice))]
    public async Task SendRecallNotice([ActivityTrigger] RecallNotice input)
    {
        using var snapshot = ReadSnapshot.Begin();
        var loan = await loans.GetAsync(input.Track.LibraryId, input.Track.LoanId);
        var zone = LibraryTime.Zone((await libraries.GetAsync(input.Track.LibraryId))?.TimeZone);
        await dispatcher.DispatchAsync(new NoticeRequest
        {
            LibraryId = input.Track.LibraryId,
            Scenario = new ScenarioKey(Scenario.Recall),
            SubjectRecordId = input.Track.LoanId,
            ScheduledFor = LibraryTime.LocalDate(new DateTimeOffset(input.RecalledAt, TimeSpan.Zero), zone),
            PatronId = input.Track.PatronId,
            // The row already holds the recall's due date; the notice lists the date the item was due before it.
            Loans = loan is null ? [] : [loan.ToFact() with { DueAt = input.Track.DueAt }],
            Recall = new RecallFact(input.Reason, input.NewDueAt),
        });
    }
}
