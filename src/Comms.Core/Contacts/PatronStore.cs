using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Comms.Common;
using Comms.Preferences;
using Comms.Storage;

namespace Comms.Contacts;

/// <summary>
/// Patrons with their contacts, partitioned by library. A patron's row has two columns: <c>Data</c>, the library
/// system's record, and <c>Preferences</c>, what the patron chose. Each is written on its own (a merge), so the
/// library system replacing a patron keeps the patron's choices and a preference change never touches the record.
/// </summary>
public sealed class PatronStore(CommsTables tables)
{
    public const string TableName = "Patrons";
    private readonly DocumentTable<Patron> _patrons = new(tables, TableName);

    /// <summary>The patron, read once per <see cref="ReadSnapshot"/> (a step's send and plan share it).</summary>
    public Task<Patron?> GetAsync(string libraryId, string patronId, CancellationToken cancellationToken = default) =>
        ReadSnapshot.ReadAsync(SnapshotKey(libraryId, patronId), async () => (await GetWithETagAsync(libraryId, patronId, cancellationToken))?.Patron);

    /// <summary>The patron with their preferences and the row's ETag, for a preference change that must not lose another.</summary>
    public async Task<(Patron Patron, ETag ETag)?> GetWithETagAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var row = await table.GetEntityIfExistsAsync<PatronRow>(libraryId, patronId, cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value is null)
        {
            return null;
        }

        var patron = JsonSerializer.Deserialize<Patron>(row.Value.Data, CommsJson.Options)
            ?? throw new InvalidDataException($"Row {libraryId}/{patronId} holds no patron.");
        var preferences = string.IsNullOrEmpty(row.Value.Preferences)
            ? PatronPreferences.None
            : JsonSerializer.Deserialize<PatronPreferences>(row.Value.Preferences, CommsJson.Options) ?? PatronPreferences.None;
        return (patron with { Preferences = preferences }, row.Value.ETag);
    }

    public Task UpsertAsync(string libraryId, Patron patron, CancellationToken cancellationToken = default)
    {
        ReadSnapshot.Forget(SnapshotKey(libraryId, patron.Id));
        return _patrons.UpsertAsync(libraryId, patron.Id, patron, cancellationToken, TableUpdateMode.Merge);
    }

    public Task UpsertManyAsync(string libraryId, IReadOnlyList<Patron> patrons, CancellationToken cancellationToken = default)
    {
        foreach (var patron in patrons)
        {
            ReadSnapshot.Forget(SnapshotKey(libraryId, patron.Id));
        }

        return _patrons.UpsertManyAsync(libraryId, patrons.Select(p => (p.Id, p)), cancellationToken, TableUpdateMode.Merge);
    }

    /// <summary>
    /// Writes the preferences column only if the row is still as read; false when it changed or went (read again).
    /// </summary>
    public async Task<bool> TryWritePreferencesAsync(string libraryId, string patronId, PatronPreferences preferences, ETag etag, CancellationToken cancellationToken = default)
    {
        ReadSnapshot.Forget(SnapshotKey(libraryId, patronId));
        var table = await tables.GetAsync(TableName);
        var entity = new TableEntity(libraryId, patronId) { ["Preferences"] = JsonSerializer.Serialize(preferences, CommsJson.Options) };
        try
        {
            await table.UpdateEntityAsync(entity, etag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    public Task<bool> DeleteAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
    {
        ReadSnapshot.Forget(SnapshotKey(libraryId, patronId));
        return _patrons.DeleteAsync(libraryId, patronId, cancellationToken);
    }

    private static string SnapshotKey(string libraryId, string patronId) => $"{TableName}|{libraryId}|{patronId}";

    public Task<Storage.Page<Patron>> ListAsync(string libraryId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        _patrons.ListAsync(libraryId, pageSize, continuationToken, cancellationToken);

    private sealed class PatronRow : ITableEntity
    {
        public string PartitionKey { get; set; } = string.Empty;
        public string RowKey { get; set; } = string.Empty;
        public DateTimeOffset? Timestamp { get; set; }
        public ETag ETag { get; set; }
        public string Data { get; set; } = string.Empty;
        public string? Preferences { get; set; }
    }
}
