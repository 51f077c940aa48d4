using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Comms.Common;
using Comms.Libraries;
using Comms.Scenarios;
using Comms.Storage;

namespace Comms.Preferences;

/// <summary>
/// What one address turned off as a contact of any patron of a library (a parent of three children, a teacher of a
/// class): the scenarios, and who changed them. Keyed by the address's hash, so the row holds no address and no patron.
/// </summary>
public sealed record ContactOptOut(IReadOnlyList<Scenario> Off, IReadOnlyList<PreferenceChange> Audit)
{
    public static readonly ContactOptOut None = new([], []);

    /// <summary>Contact self-service links (m2) issued before this instant no longer open the page (the library revoked them).</summary>
    public DateTimeOffset? LinksRevokedAt { get; init; }

    /// <summary>Whether this address turned the scenario off for every patron; never for one the library makes mandatory.</summary>
    public bool TurnsOff(Library library, Scenario scenario) => Off.Contains(scenario) && MandatoryScenarios.MayTurnOff(library, scenario);
}

/// <summary>
/// Table <c>ContactOptOuts</c>: partition library, row the address's hash (<see cref="UnsubscribeLinks.AddressHash"/>).
/// One point read to send, one conditional point write per change whatever the number of patrons: no fan-out over
/// patron rows, so nothing unbounded and nothing half-done. Purged with the library (LibraryDataPurge).
/// </summary>
public sealed class ContactOptOutStore(CommsTables tables, TimeProvider clock)
{
    public const string TableName = "ContactOptOuts";
    private const int MaxWriteAttempts = 8;

    public async Task<ContactOptOut> GetAsync(string libraryId, string addressHash, CancellationToken cancellationToken = default) =>
        (await ReadAsync(libraryId, addressHash, cancellationToken)).Value;

    /// <summary>
    /// Sets the scenarios turned off for this address (the caller validated them); audited when it changes anything.
    /// A concurrent change is retried on the row's ETag, so two clicks for two scenarios both hold.
    /// </summary>
    public Task<ContactOptOut> ChangeAsync(
        string libraryId, string addressHash, Func<IReadOnlyList<Scenario>, IReadOnlyList<Scenario>> change, string by, CancellationToken cancellationToken = default) =>
        UpdateAsync(libraryId, addressHash, current => current with { Off = [.. change(current.Off).Distinct().Order()] }, by, cancellationToken);

    /// <summary>Every contact self-service link sent to this address so far stops working (audited).</summary>
    public Task<ContactOptOut> RevokeLinksAsync(string libraryId, string addressHash, string by, CancellationToken cancellationToken = default) =>
        UpdateAsync(libraryId, addressHash, current => current with { LinksRevokedAt = clock.GetUtcNow() }, by, cancellationToken);

    private async Task<ContactOptOut> UpdateAsync(
        string libraryId, string addressHash, Func<ContactOptOut, ContactOptOut> change, string by, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName);
        for (var attempt = 1; ; attempt++)
        {
            var (current, etag) = await ReadAsync(libraryId, addressHash, cancellationToken);
            var wanted = change(current);
            var changes = Changes(current, wanted);
            if (changes.Count == 0)
            {
                return current;
            }

            var audit = new[] { new PreferenceChange(clock.GetUtcNow(), by, changes) }.Concat(current.Audit).Take(PatronPreferences.MaxAudit).ToList();
            var saved = wanted with { Audit = audit };
            var row = new TableEntity(libraryId, addressHash)
            {
                ["Off"] = string.Join(',', saved.Off.Select(MandatoryScenarios.Name)),
                ["Audit"] = JsonSerializer.Serialize(audit, CommsJson.Options),
            };
            if (saved.LinksRevokedAt is { } revoked)
            {
                row["LinksRevokedAt"] = revoked;
            }

            try
            {
                if (etag is { } match)
                {
                    await table.UpdateEntityAsync(row, match, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await table.AddEntityAsync(row, cancellationToken);
                }

                return saved;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxWriteAttempts)
            {
                // Someone changed the row since we read it: read again and re-apply this change.
            }
        }
    }

    private static List<string> Changes(ContactOptOut before, ContactOptOut after)
    {
        var changes = after.Off.Except(before.Off).Select(s => $"{MandatoryScenarios.Name(s)} off for all patrons")
            .Concat(before.Off.Except(after.Off).Select(s => $"{MandatoryScenarios.Name(s)} on for all patrons")).ToList();
        if (before.LinksRevokedAt != after.LinksRevokedAt)
        {
            changes.Add("self-service links revoked");
        }

        return changes;
    }

    private async Task<(ContactOptOut Value, ETag? ETag)> ReadAsync(string libraryId, string addressHash, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(libraryId, addressHash, cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value is not { } entity)
        {
            return (ContactOptOut.None, null);
        }

        var off = (entity.GetString("Off") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(n => MandatoryScenarios.TryParse(n, out var s) ? s : (Scenario?)null).OfType<Scenario>().ToList();
        var audit = entity.GetString("Audit") is { Length: > 0 } json
            ? JsonSerializer.Deserialize<List<PreferenceChange>>(json, CommsJson.Options) ?? []
            : [];
        return (new ContactOptOut(off, audit) { LinksRevokedAt = entity.GetDateTimeOffset("LinksRevokedAt") }, entity.ETag);
    }
}
