using System.Text.Json;
using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Comms.Common;
using Comms.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Comms.MessageCopies;

/// <summary>
/// The redacted copies of sent messages, one JSON blob per library and recipient notice ("{library}/{notice id}.json")
/// in the app's storage account: by connection string locally, by the blob endpoint beside the table endpoint with
/// the managed identity in Azure (as <see cref="Outbox.OutboxQueue"/>). Blobs rather than table rows because a
/// rendered HTML body can pass a row's 1 MiB, and because Azure deletes them by age with a lifecycle rule.
/// </summary>
public sealed partial class MessageCopyStore
{
    /// <summary>Blob metadata naming the patron, so an erasure finds their copies in the library's listing.</summary>
    private const string PatronMetadata = "patron";

    private readonly Lazy<Task<BlobContainerClient>> _container;
    private readonly ILogger<MessageCopyStore> _logger;

    public MessageCopyStore(IOptions<StorageOptions> storage, ILogger<MessageCopyStore> logger)
    {
        _logger = logger;
        var client = Client(storage.Value);
        _container = new Lazy<Task<BlobContainerClient>>(async () =>
        {
            await client.CreateIfNotExistsAsync().ConfigureAwait(false);
            return client;
        });
    }

    /// <summary>"comms-message-copies" with the default prefix; infra/core/storage names the same container in its lifecycle rule.</summary>
    public static string ContainerName(string tablePrefix) => tablePrefix.ToLowerInvariant() + "-message-copies";

    internal static BlobContainerClient Client(StorageOptions o) => Client(o, ContainerName(o.TablePrefix));

    /// <summary>A container of the app's storage account, reached as the tables are (also the print batches' PDFs).</summary>
    internal static BlobContainerClient Client(StorageOptions o, string containerName) =>
        !string.IsNullOrWhiteSpace(o.ConnectionString)
            ? new BlobContainerClient(o.ConnectionString, containerName)
            : new BlobContainerClient(
                new Uri(BlobEndpoint(o.TableServiceUri!), containerName),
                new DefaultAzureCredential(new DefaultAzureCredentialOptions
                {
                    ManagedIdentityClientId = string.IsNullOrWhiteSpace(o.ManagedIdentityClientId) ? null : o.ManagedIdentityClientId,
                }));

    /// <summary>https://acct.table.core.windows.net/ → https://acct.blob.core.windows.net/</summary>
    internal static Uri BlobEndpoint(Uri tableEndpoint)
    {
        var builder = new UriBuilder(tableEndpoint);
        builder.Host = builder.Host.Replace(".table.", ".blob.", StringComparison.OrdinalIgnoreCase);
        builder.Path = "/";
        return builder.Uri;
    }

    /// <summary>
    /// Stores the copy with one upload (overwriting a repeat's). Best effort: the message has gone and its ledger
    /// and log rows are what count, so a failure is logged as a warning and never thrown into the send.
    /// </summary>
    public async Task TryWriteAsync(MessageCopy copy, CancellationToken cancellationToken = default)
    {
        try
        {
            var container = await _container.Value;
            var options = new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                Metadata = copy.PatronId is null ? null : new Dictionary<string, string> { [PatronMetadata] = Uri.EscapeDataString(copy.PatronId) },
            };
            await container.GetBlobClient(BlobName(copy.LibraryId, copy.NoticeId))
                .UploadAsync(BinaryData.FromObjectAsJson(copy, CommsJson.Options), options, cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException or AuthenticationFailedException or IOException or HttpRequestException or TaskCanceledException)
        {
            LogWriteFailed(_logger, copy.LibraryId, copy.NoticeId, e.GetType().Name);
        }
    }

    /// <summary>The copy of this library's notice, or null when there is none (never stored, expired or erased).</summary>
    public async Task<MessageCopy?> GetAsync(string libraryId, string noticeId, CancellationToken cancellationToken = default)
    {
        var container = await _container.Value;
        try
        {
            var content = await container.GetBlobClient(BlobName(libraryId, noticeId)).DownloadContentAsync(cancellationToken);
            return JsonSerializer.Deserialize<MessageCopy>(content.Value.Content.ToMemory().Span, CommsJson.Options);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Deletes the library's copies last written before <paramref name="cutoff"/> (the daily purge; Azure's lifecycle rule does the same).</summary>
    public Task<int> DeleteOlderThanAsync(string libraryId, DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        DeleteWhereAsync(libraryId, BlobTraits.None, b => b.Properties.LastModified < cutoff, cancellationToken);

    /// <summary>Deletes the copies of messages about one patron (patron erasure).</summary>
    public Task<int> DeletePatronAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
    {
        var escaped = Uri.EscapeDataString(patronId);
        return DeleteWhereAsync(libraryId, BlobTraits.Metadata,
            b => b.Metadata is not null && b.Metadata.TryGetValue(PatronMetadata, out var p) && p == escaped, cancellationToken);
    }

    /// <summary>Deletes every copy of the library (library deletion).</summary>
    public Task<int> DeleteLibraryAsync(string libraryId, CancellationToken cancellationToken = default) =>
        DeleteWhereAsync(libraryId, BlobTraits.None, _ => true, cancellationToken);

    /// <summary>
    /// Streams the library's listing page by page (5,000 names a page, properties included, no content read) and
    /// deletes the matches; bounded by the retention, a few days' to a month's messages. A blob gone meanwhile is fine.
    /// </summary>
    private async Task<int> DeleteWhereAsync(string libraryId, BlobTraits traits, Func<BlobItem, bool> match, CancellationToken cancellationToken)
    {
        var container = await _container.Value;
        var deleted = 0;
        await foreach (var blob in container.GetBlobsAsync(traits, BlobStates.None, Prefix(libraryId), cancellationToken))
        {
            if (match(blob) && (await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken)).Value)
            {
                deleted++;
            }
        }

        return deleted;
    }

    private static string Prefix(string libraryId) => libraryId + "/";

    private static string BlobName(string libraryId, string noticeId) => Prefix(libraryId) + noticeId + ".json";

    [LoggerMessage(Level = LogLevel.Warning, Message = "The redacted copy of notice {NoticeId} in library {LibraryId} was not stored ({Error}); the message was sent and logged.")]
    private static partial void LogWriteFailed(ILogger logger, string libraryId, string noticeId, string error);
}
