using Comms.Libraries;
using Microsoft.Extensions.Options;

namespace Comms.Circulation;

/// <summary>
/// Reads the library's current settings and picks a loan's next step (so a settings change applies from the
/// next step), then registers the loan for that step's digest before the step is due.
/// </summary>
public sealed class LoanStepPlanner(LibraryStore libraries, LoanDigests digests, IOptions<CirculationOptions> options)
{
    public async Task<PlannedStep?> PlanAsync(LoanTrack track, CancellationToken cancellationToken = default)
    {
        var library = await libraries.GetAsync(track.LibraryId, cancellationToken);
        if (library is null)
        {
            return null; // A deleted library sends nothing more; the loan still accepts return events.
        }

        var ladder = LoanLadder.Compute(LadderPolicy.From(library, options.Value.DayLength), track.DueAt);
        var sent = track.Sent.Select(s => s.Step).ToHashSet(StringComparer.Ordinal);
        var next = LoanLadder.Next(ladder, track.NotBefore, sent, track.LastSentAt);
        if (next is null)
        {
            return null;
        }

        var planned = new PlannedStep(next.Step.ToString(), next.FireAt, next.ScheduledFor);
        await digests.RegisterAsync(track, planned, cancellationToken);
        return planned;
    }
}
