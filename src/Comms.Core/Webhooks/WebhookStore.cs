using Comms.Storage;

namespace Comms.Webhooks;

/// <summary>One webhook per library (table LibraryWebhooks, partition = library, row "current").</summary>
public sealed class WebhookStore(CommsTables tables)
{
    public const string TableName = "LibraryWebhooks";
    private const string Row = "current";
    private readonly DocumentTable<WebhookSubscription> _table = new(tables, TableName);

    public Task<WebhookSubscription?> GetAsync(string libraryId, CancellationToken cancellationToken = default) => _table.GetAsync(libraryId, Row, cancellationToken);

    public Task UpsertAsync(string libraryId, WebhookSubscription subscription, CancellationToken cancellationToken = default) =>
        _table.UpsertAsync(libraryId, Row, subscription, cancellationToken);

    public Task<bool> DeleteAsync(string libraryId, CancellationToken cancellationToken = default) => _table.DeleteAsync(libraryId, Row, cancellationToken);
}
