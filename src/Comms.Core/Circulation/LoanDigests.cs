using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Comms.Common;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Storage;

namespace Comms.Circulation;

/// <summary>
/// One email per patron, step and send time, listing every loan that reaches that step then.
/// A loan registers for its next step's digest when the step is planned (long before it is due). When the
/// step's timer fires, every loan of the digest runs <see cref="ClaimAsync"/>; the first to insert the claim
/// row owns the digest and sends it with all registered loans that are still out with the same due date;
/// the others find themselves listed and send nothing. A loan that registered after the claim was written
/// gets its own email. See docs/circulation.md.
/// </summary>
/// <remarks>
/// A patron who chose one email per item (<see cref="Preferences.NoticeDelivery.PerItem"/>) claims the step's digest
/// for their loan alone: each loan then sends its own email, keyed on the loan like any single-loan notice, and a loan
/// already listed by a claim made before the change still sends nothing more.
/// </remarks>
public sealed class LoanDigests(CommsTables tables, LoanStore loans, Contacts.PatronStore patrons)
{
    private const string TableName = "LoanDigests";
    private const string ClaimRow = "~claim";

    public async Task RegisterAsync(LoanTrack track, PlannedStep step, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var row = new JsonRow
        {
            PartitionKey = Partition(track, step),
            RowKey = track.LoanId,
            Data = JsonSerializer.Serialize(new Registration(track.LoanId, track.DueAt), CommsJson.Options),
        };
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Takes the loan out of a step's digest it no longer reaches then (its step was re-planned); a claimed digest keeps its list.</summary>
    public async Task UnregisterAsync(LoanTrack track, PlannedStep step, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        using var response = await table.DeleteEntityAsync(Partition(track, step), track.LoanId, ETag.All, cancellationToken);
    }

    /// <summary>The request this loan must send for the step, or null when another loan's digest lists it.</summary>
    public async Task<NoticeRequest?> ClaimAsync(LoanTrack track, PlannedStep step, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var partition = Partition(track, step);

        // One read of the digest's partition gives both the claim (if another loan made it) and the registrations.
        Claim? claim = null;
        var registered = new List<Registration>();
        await foreach (var row in table.QueryAsync<JsonRow>(r => r.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            if (row.RowKey == ClaimRow)
            {
                claim = JsonSerializer.Deserialize<Claim>(row.Data, CommsJson.Options);
            }
            else
            {
                registered.Add(JsonSerializer.Deserialize<Registration>(row.Data, CommsJson.Options)!);
            }
        }

        if (claim is null)
        {
            var included = new List<string>();
            var perItem = (await patrons.GetAsync(track.LibraryId, track.PatronId, cancellationToken))?.Preferences.Delivery == Preferences.NoticeDelivery.PerItem;
            foreach (var r in registered.Where(r => !perItem && r.LoanId != track.LoanId).OrderBy(r => r.LoanId, StringComparer.Ordinal))
            {
                // One email lists at most NoticeLimits.MaxItems loans (this one comes first); a loan left out
                // gets its own email, as one that registers after the claim does.
                if (included.Count == NoticeLimits.MaxItems - 1)
                {
                    break;
                }

                // Renewed, recalled or returned since registering: that loan's own ladder has moved on.
                if (await loans.GetAsync(track.LibraryId, r.LoanId, cancellationToken) is { Status: LoanStatus.Active } loan && loan.DueAt == r.DueAt)
                {
                    included.Add(r.LoanId);
                }
            }

            included.Insert(0, track.LoanId);
            var mine = new Claim(track.LoanId, included);
            try
            {
                await table.AddEntityAsync(new JsonRow { PartitionKey = partition, RowKey = ClaimRow, Data = JsonSerializer.Serialize(mine, CommsJson.Options) }, cancellationToken);
                claim = mine;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                claim = await ReadClaimAsync(partition, cancellationToken) ?? throw new InvalidOperationException("Digest claim vanished.", e);
            }
        }

        if (claim.Owner == track.LoanId)
        {
            // Also the path of a retried activity: the same claim gives the same request, which the dispatcher sends once.
            return await RequestAsync(track, step, claim.Included, cancellationToken);
        }

        return claim.Included.Contains(track.LoanId) ? null : await RequestAsync(track, step, [track.LoanId], cancellationToken);
    }

    public static string DigestId(string patronId, PlannedStep step) =>
        $"{patronId}.{step.Step}.{DigestPartitions.FireTime(step.FireAt)}";

    /// <summary>Deletes one library's digests whose send time is before <paramref name="cutoff"/>.</summary>
    public async Task<int> DeleteFiredBeforeAsync(string libraryId, DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        await DigestPartitions.DeleteAsync(await tables.GetAsync(TableName), libraryId, p => DigestPartitions.FireTimeOf(p) is { } fireAt && fireAt < cutoff, cancellationToken);

    private async Task<NoticeRequest> RequestAsync(LoanTrack track, PlannedStep step, IReadOnlyList<string> loanIds, CancellationToken cancellationToken)
    {
        var facts = new List<LoanFact>(loanIds.Count);
        foreach (var id in loanIds)
        {
            if (await loans.GetAsync(track.LibraryId, id, cancellationToken) is { } loan)
            {
                facts.Add(loan.ToFact());
            }
        }

        ScenarioKey.TryParse(step.Step, out var scenario);
        return new NoticeRequest
        {
            LibraryId = track.LibraryId,
            Scenario = scenario,
            // One loan: the loan is the subject. Several: the digest, whose id is stable for retries.
            SubjectRecordId = loanIds.Count == 1 ? loanIds[0] : DigestId(track.PatronId, step),
            ScheduledFor = step.ScheduledFor,
            PatronId = track.PatronId,
            Loans = [.. facts.OrderBy(f => f.DueAt).ThenBy(f => f.Title, StringComparer.CurrentCulture)],
        };
    }

    private async Task<Claim?> ReadClaimAsync(string partition, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName);
        var row = await table.GetEntityIfExistsAsync<JsonRow>(partition, ClaimRow, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is not null ? JsonSerializer.Deserialize<Claim>(row.Value.Data, CommsJson.Options) : null;
    }

    private static string Partition(LoanTrack track, PlannedStep step) =>
        $"{track.LibraryId}|{DigestId(track.PatronId, step)}";

    private sealed record Registration(string LoanId, DateTimeOffset DueAt);

    private sealed record Claim(string Owner, IReadOnlyList<string> Included);
}
