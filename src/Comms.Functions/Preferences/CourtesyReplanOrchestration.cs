using Comms.Functions.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Comms.Functions.Preferences;

/// <summary>Whose ladders to re-plan: patrons of one library whose courtesy days changed.</summary>
public sealed record CourtesyReplanRequest(string LibraryId, IReadOnlyList<string> PatronIds);

/// <summary>
/// Re-plans the ladders of a bulk change's patrons in the background. A bulk call may change up to 1000 patrons, each
/// with up to <see cref="CourtesyReplans.MaxLoansPerPatron"/> indexed loans: signalling them inside the request would
/// tie the HTTP call to that many event posts, and a crash part way would leave the rest on the old time. The call
/// schedules this orchestration once; it takes the patrons a slice per activity, each retried, so the work is done
/// even across restarts, and a repeated signal is harmless (a re-plan to the same time changes nothing).
/// </summary>
public static class CourtesyReplanOrchestration
{
    /// <summary>Patrons per activity: a slice's signals finish well inside an activity's time.</summary>
    public const int PatronsPerActivity = 25;

    private static readonly TaskOptions Retry = ActivityRetry.Options;

    [Function(nameof(CourtesyReplanOrchestrator))]
    public static async Task<int> CourtesyReplanOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context, CourtesyReplanRequest request)
    {
        foreach (var slice in request.PatronIds.Chunk(PatronsPerActivity))
        {
            await context.CallActivityAsync(nameof(CourtesyReplanActivities.ReplanPatronLadders), request with { PatronIds = slice }, Retry);
        }

        return request.PatronIds.Count;
    }
}

/// <summary>The orchestration's one piece of I/O: wake a slice of patrons' running loans with a re-plan event.</summary>
public sealed class CourtesyReplanActivities(CourtesyReplans replans)
{
    [Function(nameof(ReplanPatronLadders))]
    public Task ReplanPatronLadders([ActivityTrigger] CourtesyReplanRequest request, [DurableClient] DurableTaskClient client) =>
        replans.RaiseAsync(client, request.LibraryId, request.PatronIds);
}
