using Comms.Libraries;
using Comms.Scenarios;
using Microsoft.Extensions.Options;

namespace Comms.Circulation;

/// <summary>
/// Reads the library's current settings and picks a loan's next step (so a settings change applies from the
/// next step), then registers the loan for that step's digests (its patron's, and each shared contact's) before the step is due,
/// and records it in the send-time index the dashboard counts tonight's notices from (<see cref="LoanPlanIndex"/>).
/// </summary>
public sealed class LoanStepPlanner(LibraryStore libraries, LoanDigests digests, ContactDigests contactDigests, LoanPlanIndex index, IOptions<CirculationOptions> options)
{
    public async Task<PlannedStep?> PlanAsync(LoanTrack track, CancellationToken cancellationToken = default)
    {
        var next = await PlanStepAsync(track, cancellationToken);
        await index.RecordAsync(track.LibraryId, track.LoanId, next, cancellationToken);
        return next;
    }

    private async Task<PlannedStep?> PlanStepAsync(LoanTrack track, CancellationToken cancellationToken)
    {
        var library = await libraries.GetAsync(track.LibraryId, cancellationToken);
        if (library is null)
        {
            return null; // A deleted library sends nothing more; the loan still accepts return events.
        }

        var ladder = LoanLadder.Compute(LadderPolicy.From(library, options.Value.DayLength), track.DueAt, track.ShiftDays);
        var sent = track.Sent.Select(s => s.Step).ToHashSet(StringComparer.Ordinal);
        var next = LoanLadder.Next(ladder, track.NotBefore, sent, track.LastSentAt);
        if (next is null)
        {
            return null;
        }

        var planned = new PlannedStep(next.Step.ToString(), next.FireAt, next.ScheduledFor);
        await Task.WhenAll(digests.RegisterAsync(track, planned, cancellationToken), contactDigests.RegisterAsync(library, track, planned, cancellationToken));
        return planned;
    }

    /// <summary>
    /// The track a new loan starts with and its first step, from <paramref name="arrivedAt"/> (when the loan was
    /// stored). A loan with <see cref="Loan.LastNoticeSent"/> or already past its due date (an import) resumes
    /// its ladder after the last step sent, the first one due at the next send time (<see cref="LoanLadder.Resume"/>).
    /// </summary>
    public async Task<(LoanTrack Track, PlannedStep? Next)> PlanStartAsync(Loan loan, DateTimeOffset arrivedAt, CancellationToken cancellationToken = default)
    {
        var track = LoanTrack.Start(loan, arrivedAt);
        var library = await libraries.GetAsync(loan.LibraryId, cancellationToken);
        if (library is not null && (loan.LastNoticeSent is not null || loan.DueAt <= arrivedAt))
        {
            ScenarioKey? last = ScenarioKey.TryParse(loan.LastNoticeSent, out var key) ? key : null;
            var resume = LoanLadder.Resume(LadderPolicy.From(library, options.Value.DayLength), loan.DueAt, arrivedAt, last);
            track = track with
            {
                Sent = [.. resume.Before.Select(s => new SentStep(s.Step.ToString(), s.FireAt, "imported"))],
                ShiftDays = resume.ShiftDays,
            };
        }

        return (track, await PlanAsync(track, cancellationToken));
    }
}
