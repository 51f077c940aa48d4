using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Comms.Storage;

namespace Comms.Templates;

/// <summary>
/// Templates in one table, partitioned by library: a head row per template ("t_{id}", its summary) and an
/// immutable row per version ("v_{id}_{000001}"). A save writes the new version and moves the head in one
/// transaction, with the head's ETag, so two editors can never both create version 4.
/// </summary>
public sealed class TemplateStore(CommsTables tables)
{
    private const string TableName = "Templates";

    /// <summary>Bumped by every write through this process, so caches of a library's templates know to drop.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);

    /// <summary>Changes whenever this process writes one of the library's templates (see <see cref="TemplateResolver"/>).</summary>
    public long Generation(string libraryId) => _generations.GetValueOrDefault(libraryId);

    public async Task<IReadOnlyList<TemplateSummary>> ListAsync(string libraryId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var heads = new List<TemplateSummary>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            e => e.PartitionKey == libraryId && e.RowKey.CompareTo("t_") >= 0 && e.RowKey.CompareTo("t`") < 0,
            cancellationToken: cancellationToken))
        {
            heads.Add(ChunkedJson.FromEntity<TemplateSummary>(row));
        }

        return heads;
    }

    public async Task<(TemplateSummary Summary, ETag ETag)?> GetAsync(string libraryId, string templateId, CancellationToken cancellationToken = default)
    {
        if (!TableKeys.IsValidId(templateId))
        {
            return null;
        }

        var table = await tables.GetAsync(TableName);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(libraryId, HeadKey(templateId), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is not null ? (ChunkedJson.FromEntity<TemplateSummary>(row.Value), row.Value.ETag) : null;
    }

    public async Task<TemplateVersion?> GetVersionAsync(string libraryId, string templateId, int version, CancellationToken cancellationToken = default)
    {
        if (!TableKeys.IsValidId(templateId) || version < 1)
        {
            return null;
        }

        var table = await tables.GetAsync(TableName);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(libraryId, VersionKey(templateId, version), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is not null ? ChunkedJson.FromEntity<TemplateVersion>(row.Value) : null;
    }

    public async Task<IReadOnlyList<TemplateVersion>> ListVersionsAsync(string libraryId, string templateId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName);
        var from = $"v_{templateId}_";
        var to = $"v_{templateId}`";
        var versions = new List<TemplateVersion>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            e => e.PartitionKey == libraryId && e.RowKey.CompareTo(from) >= 0 && e.RowKey.CompareTo(to) < 0,
            cancellationToken: cancellationToken))
        {
            versions.Add(ChunkedJson.FromEntity<TemplateVersion>(row));
        }

        return versions;
    }

    /// <summary>Writes the first version and the head together; false if the id is taken.</summary>
    public Task<bool> TryCreateAsync(string libraryId, TemplateSummary head, TemplateVersion first, CancellationToken cancellationToken = default) =>
        SubmitAsync(libraryId, TableTransactionActionType.Add, head, ETag.All, first, cancellationToken);

    /// <summary>Appends a version and moves the head; false if the head changed since <paramref name="etag"/> was read.</summary>
    public Task<bool> TryAppendAsync(string libraryId, TemplateSummary head, ETag etag, TemplateVersion next, CancellationToken cancellationToken = default) =>
        SubmitAsync(libraryId, TableTransactionActionType.UpdateReplace, head, etag, next, cancellationToken);

    private async Task<bool> SubmitAsync(
        string libraryId,
        TableTransactionActionType headAction,
        TemplateSummary head,
        ETag etag,
        TemplateVersion version,
        CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName);
        TableTransactionAction[] actions =
        [
            new(headAction, ChunkedJson.ToEntity(libraryId, HeadKey(head.Id), head), etag),
            new(TableTransactionActionType.Add, ChunkedJson.ToEntity(libraryId, VersionKey(head.Id, version.Version), version)),
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
        finally
        {
            _generations.AddOrUpdate(libraryId, 1, (_, g) => g + 1);
        }
    }

    private static string HeadKey(string templateId) => $"t_{templateId}";

    private static string VersionKey(string templateId, int version) =>
        $"v_{templateId}_{version.ToString("D6", CultureInfo.InvariantCulture)}";
}
