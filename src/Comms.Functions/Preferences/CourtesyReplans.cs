using Comms.Circulation;
using Comms.Functions.Circulation;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Comms.Functions.Preferences;

/// <summary>
/// After a patron's courtesy days changed, wakes each of their running loan ladders with a re-plan event, so a loan
/// asleep until the old reminder time wakes at the new one (docs/preferences.md). Bounded: the patron's loan index,
/// at most <see cref="MaxLoansPerPatron"/> loans each, a few signals at a time.
/// </summary>
public sealed class CourtesyReplans(LoanStore loans, ILogger<CourtesyReplans> logger)
{
    /// <summary>Loans (out or returned in the last 90 days) looked at per patron; far more than any reader has out.</summary>
    public const int MaxLoansPerPatron = 500;

    private const int Parallel = 16;

    /// <remarks>
    /// Not cancelled with the request: the preference is already stored, so a caller hanging up must not leave half
    /// of the patron's loans on the old time. <paramref name="client"/> is null only in the dev host with the durable
    /// engine turned off (most API tests), where no ladder runs to be woken.
    /// </remarks>
    public async Task RaiseAsync(DurableTaskClient? client, string libraryId, IReadOnlyCollection<string> patronIds)
    {
        if (client is null || patronIds.Count == 0)
        {
            return;
        }

        var signalled = 0;
        foreach (var patronId in patronIds)
        {
            var ids = await loans.ListIndexedIdsForPatronAsync(libraryId, patronId, MaxLoansPerPatron, CancellationToken.None);
            if (ids.Count == MaxLoansPerPatron)
            {
                logger.LogWarning("Patron {PatronId} of {LibraryId} has {Count}+ indexed loans; only those were re-planned", patronId, libraryId, MaxLoansPerPatron);
            }

            foreach (var slice in ids.Chunk(Parallel))
            {
                await Task.WhenAll(slice.Select(id => LoanSignals.RaiseIfRunningAsync(client, libraryId, id, new LoanEvent(LoanEventKind.Replan), CancellationToken.None)));
            }

            signalled += ids.Count;
        }

        logger.LogInformation("Re-planned the ladders of {Patrons} patrons of {LibraryId} ({Loans} indexed loans)", patronIds.Count, libraryId, signalled);
    }
}
