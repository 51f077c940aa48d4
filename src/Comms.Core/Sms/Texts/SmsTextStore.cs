using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Comms.Storage;

namespace Comms.Sms.Texts;

/// <summary>
/// A library's SMS texts, in the email templates' table and partition (so deleting a library deletes them with its
/// templates) under their own row keys: a head per scenario and language ("sms_h_{scenario}_{language}") and an
/// immutable row per version ("sms_v_{scenario}_{language}_{000001}"). As for email templates, a save writes the new
/// version and moves the head in one transaction guarded by the head's ETag, so two editors never both write version 4.
/// </summary>
public sealed class SmsTextStore(CommsTables tables)
{
    private const string TableName = "Templates";

    public async Task<(SmsTextHead Head, ETag ETag)?> GetHeadAsync(string libraryId, string scenario, string language, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(libraryId, HeadKey(scenario, language), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is not null ? (ChunkedJson.FromEntity<SmsTextHead>(row.Value), row.Value.ETag) : null;
    }

    /// <summary>Every language's head of one scenario: one key-range read, for the send path's language fallback.</summary>
    public async Task<IReadOnlyList<SmsTextHead>> ListHeadsAsync(string libraryId, string? scenario, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var from = scenario is null ? "sms_h_" : $"sms_h_{scenario}_";
        var to = from[..^1] + "`";
        var heads = new List<SmsTextHead>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            e => e.PartitionKey == libraryId && e.RowKey.CompareTo(from) >= 0 && e.RowKey.CompareTo(to) < 0,
            cancellationToken: cancellationToken))
        {
            heads.Add(ChunkedJson.FromEntity<SmsTextHead>(row));
        }

        return heads;
    }

    public async Task<SmsTextVersion?> GetVersionAsync(string libraryId, string scenario, string language, int version, CancellationToken cancellationToken = default)
    {
        if (version < 1)
        {
            return null;
        }

        var table = await tables.GetAsync(TableName);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(libraryId, VersionKey(scenario, language, version), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is not null ? ChunkedJson.FromEntity<SmsTextVersion>(row.Value) : null;
    }

    public async Task<IReadOnlyList<SmsTextVersion>> ListVersionsAsync(string libraryId, string scenario, string language, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var from = $"sms_v_{scenario}_{Key(language)}_";
        var to = from[..^1] + "`";
        var versions = new List<SmsTextVersion>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            e => e.PartitionKey == libraryId && e.RowKey.CompareTo(from) >= 0 && e.RowKey.CompareTo(to) < 0,
            cancellationToken: cancellationToken))
        {
            versions.Add(ChunkedJson.FromEntity<SmsTextVersion>(row));
        }

        return versions;
    }

    /// <summary>
    /// Adds <paramref name="version"/> and moves the head to it; <paramref name="etag"/> null means no head exists yet.
    /// False when someone else wrote first (the head changed, or appeared).
    /// </summary>
    public async Task<bool> TryAppendAsync(string libraryId, SmsTextHead head, ETag? etag, SmsTextVersion version, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var headRow = ChunkedJson.ToEntity(libraryId, HeadKey(head.Scenario, head.Language), head);
        TableTransactionAction[] actions =
        [
            etag is { } tag ? new(TableTransactionActionType.UpdateReplace, headRow, tag) : new(TableTransactionActionType.Add, headRow),
            new(TableTransactionActionType.Add, ChunkedJson.ToEntity(libraryId, VersionKey(version.Scenario, version.Language, version.Version), version)),
        ];
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    private static string HeadKey(string scenario, string language) => $"sms_h_{scenario}_{Key(language)}";

    private static string VersionKey(string scenario, string language, int version) =>
        $"sms_v_{scenario}_{Key(language)}_{version.ToString("D6", CultureInfo.InvariantCulture)}";

    /// <summary>Language tags compare without case ("en-GB", "en-gb"); keys use the lower-case form.</summary>
    private static string Key(string language) => language.ToLowerInvariant();
}
