using System.Text.Json;
using Azure.Data.Tables;
using Comms.Circulation;
using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Storage;
using Microsoft.Extensions.Options;

namespace Comms.Accounts;

/// <summary>PUT …/patrons/{patronId}/card body: when the patron's library card expires.</summary>
public sealed record PatronCardRequest
{
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>A patron's card as the library system reported it (table PatronCards: partition library, row patron).</summary>
public sealed record PatronCard
{
    public required string LibraryId { get; init; }
    public required string PatronId { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>When the card-expiring reminder goes.</summary>
public sealed record CardReminderPlan(DateTimeOffset FireAt, DateOnly ScheduledFor);

/// <summary>
/// Card expiry dates and their reminder: <see cref="NoticeTiming.CardExpiryDaysBefore"/> days before the card
/// expires, at the library's send time on an open day (the ladder's calendar), once per expiry date. The durable
/// orchestration per card does the waiting (docs/catalogue.md says why a timer per card, not a daily scan).
/// </summary>
public sealed class PatronCards(CommsTables tables, PatronStore patrons, LibraryStore libraries, INoticeDispatcher dispatcher, IOptions<CirculationOptions> options, TimeProvider time)
{
    private const string TableName = "PatronCards";
    private static readonly TimeSpan MaxAhead = TimeSpan.FromDays(10 * 366);

    /// <summary>Stores the card's expiry; Changed is false when it already had this date (a repeat).</summary>
    public async Task<(PatronCard Card, bool Changed)> SetAsync(string libraryId, string patronId, PatronCardRequest request, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (request.ExpiresAt is not { } expires || expires <= now || expires > now + MaxAhead)
        {
            throw RequestValidationException.For("expiresAt", "Required: a date-time in the future, at most ten years ahead.");
        }

        _ = (TableKeys.IsValidId(patronId) ? await patrons.GetAsync(libraryId, patronId, cancellationToken) : null)
            ?? throw new NotFoundException($"Patron '{patronId}' does not exist in library '{libraryId}'.");
        var card = new PatronCard { LibraryId = libraryId, PatronId = patronId, ExpiresAt = expires.ToUniversalTime() };
        if (await GetAsync(libraryId, patronId, cancellationToken) is { } stored && stored.ExpiresAt == card.ExpiresAt)
        {
            return (stored, false);
        }

        var table = await tables.GetAsync(TableName);
        await table.UpsertEntityAsync(new JsonRow { PartitionKey = libraryId, RowKey = patronId, Data = JsonSerializer.Serialize(card, CommsJson.Options) }, TableUpdateMode.Replace, cancellationToken);
        return (card, true);
    }

    public async Task<PatronCard?> GetAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
    {
        if (!TableKeys.IsValidId(patronId))
        {
            return null;
        }

        var table = await tables.GetAsync(TableName);
        var row = await table.GetEntityIfExistsAsync<JsonRow>(libraryId, patronId, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is not null ? JsonSerializer.Deserialize<PatronCard>(row.Value.Data, CommsJson.Options) : null;
    }

    public async Task DeleteAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        await table.DeleteEntityAsync(libraryId, patronId, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The reminder for a card expiring at <paramref name="expiresAt"/>, from the library's current settings; a
    /// reminder day already past goes at once while the card is still valid. Null: scenario off, card expired or
    /// library gone.
    /// </summary>
    public async Task<CardReminderPlan?> PlanAsync(string libraryId, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var library = await libraries.GetAsync(libraryId, cancellationToken);
        var now = time.GetUtcNow();
        if (library is null || !library.SettingsFor(Scenario.CardExpiring).Enabled || expiresAt <= now)
        {
            return null;
        }

        var step = LoanLadder.DaysFrom(LadderPolicy.From(library, options.Value.DayLength), expiresAt, -library.Timing.CardExpiryDaysBefore);
        return step.FireAt > now
            ? new CardReminderPlan(step.FireAt, step.ScheduledFor)
            : new CardReminderPlan(now, LibraryTime.LocalDate(now, LibraryTime.Zone(library.TimeZone)));
    }

    /// <summary>Sends the reminder while the stored card still expires then (a newer date has its own orchestration run).</summary>
    public async Task<string> SendAsync(string libraryId, string patronId, DateTimeOffset expiresAt, CardReminderPlan plan, CancellationToken cancellationToken = default)
    {
        if (await GetAsync(libraryId, patronId, cancellationToken) is not { } card || card.ExpiresAt != expiresAt)
        {
            return "stale";
        }

        var result = await dispatcher.DispatchAsync(new NoticeRequest
        {
            LibraryId = libraryId,
            Scenario = new ScenarioKey(Scenario.CardExpiring),
            // One reminder per expiry date: a retry, or the date set again, sends nothing new.
            SubjectRecordId = $"card-{expiresAt.UtcTicks}",
            ScheduledFor = plan.ScheduledFor,
            PatronId = patronId,
            CardExpiresAt = expiresAt,
        }, cancellationToken);
        return result.Outcome;
    }
}
