using System.Globalization;
using Comms.Circulation;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;
using Microsoft.Extensions.Options;

namespace Comms.Renewals;

/// <summary>When a patron's next renewal digest goes, and the id that makes it one email per patron and send time.</summary>
public sealed record RenewalDigestPlan(string DigestId, DateTimeOffset FireAt, DateOnly ScheduledFor);

/// <summary>
/// One auto-renewal digest per patron (per contact the library chose) and day: results wait in
/// <see cref="RenewalResultStore"/> until the library's next send time on an open day after the patron's last
/// digest, then one email lists them all (see docs/renewals.md).
/// </summary>
public sealed class RenewalDigests(LibraryStore libraries, RenewalResultStore results, INoticeDispatcher dispatcher, IOptions<CirculationOptions> options, TimeProvider time)
{
    private const string FireTimeFormat = "yyyyMMdd'T'HHmmssfff";

    /// <summary>
    /// The next digest for the patron's pending results, or null when none wait (or the library is gone). It goes at
    /// the library's first send time from now whose date is after the last digest's; with a scaled day (tests) one
    /// "day" after now, and a day after the last digest.
    /// </summary>
    public async Task<RenewalDigestPlan?> PlanAsync(string libraryId, string patronId, DateTimeOffset? lastFireAt, CancellationToken cancellationToken = default)
    {
        var library = await libraries.GetAsync(libraryId, cancellationToken);
        if (library is null || !await results.AnyPendingAsync(libraryId, patronId, cancellationToken))
        {
            return null;
        }

        var policy = LadderPolicy.From(library, options.Value.DayLength);
        var now = time.GetUtcNow();
        LadderStep step;
        if (policy.DayLength == TimeSpan.FromDays(1))
        {
            var lastDate = lastFireAt is { } last ? LibraryTime.LocalDate(last, LibraryTime.Zone(library.TimeZone)) : (DateOnly?)null;
            var days = 0;
            do
            {
                step = LoanLadder.DaysFrom(policy, now, days++);
            }
            while (step.FireAt < now || (lastDate is { } d && step.ScheduledFor <= d));
        }
        else
        {
            var earliest = lastFireAt is { } last && last + policy.DayLength > now ? last + policy.DayLength : now;
            step = LoanLadder.DaysFrom(policy, earliest, 1);
        }

        return new RenewalDigestPlan(
            $"renewals.{step.FireAt.UtcDateTime.ToString(FireTimeFormat, CultureInfo.InvariantCulture)}", step.FireAt, step.ScheduledFor);
    }

    /// <summary>Sends the digest of the results it claims (the same list on a retry), then marks them sent.</summary>
    public async Task<NoticeDispatchResult> SendAsync(string libraryId, string patronId, RenewalDigestPlan plan, CancellationToken cancellationToken = default)
    {
        var listed = await results.ClaimAsync(libraryId, patronId, plan.DigestId, time.GetUtcNow(), cancellationToken);
        var outcome = NoticeDispatchResult.None;
        if (listed.Count > 0)
        {
            outcome = await dispatcher.DispatchAsync(new NoticeRequest
            {
                LibraryId = libraryId,
                Scenario = new ScenarioKey(Scenario.AutoRenewal),
                SubjectRecordId = plan.DigestId,
                ScheduledFor = plan.ScheduledFor,
                PatronId = patronId,
                Renewals = [.. listed.OrderBy(r => r.Refusal is null ? 0 : 1).ThenBy(r => r.DueAt).ThenBy(r => r.Title, StringComparer.CurrentCulture)],
            }, cancellationToken);
        }

        await results.MarkSentAsync(libraryId, patronId, plan.DigestId, time.GetUtcNow(), cancellationToken);
        return outcome;
    }
}
