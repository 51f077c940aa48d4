using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Comms.MessageCopies;
using Comms.Storage;
using Microsoft.Extensions.Options;

namespace Comms.Print;

/// <summary>
/// The batches' PDFs, one blob each ("{library}/{batch id}.pdf") in the container "{prefix}-print-batches" of the app's
/// storage account, reached as the message copies are (a connection string locally, the managed identity in Azure).
/// </summary>
public sealed class PrintFileStore
{
    private readonly Lazy<Task<BlobContainerClient>> _container;

    public PrintFileStore(IOptions<StorageOptions> storage)
    {
        var o = storage.Value;
        var client = MessageCopyStore.Client(o, ContainerName(o.TablePrefix));
        _container = new Lazy<Task<BlobContainerClient>>(async () =>
        {
            await client.CreateIfNotExistsAsync().ConfigureAwait(false);
            return client;
        });
    }

    public static string ContainerName(string tablePrefix) => tablePrefix.ToLowerInvariant() + "-print-batches";

    /// <summary>Writes (or, when a crashed run is finished, overwrites) the batch's PDF.</summary>
    public async Task WriteAsync(string libraryId, string batchId, byte[] pdf, CancellationToken cancellationToken = default)
    {
        var container = await _container.Value;
        await container.GetBlobClient(BlobName(libraryId, batchId)).UploadAsync(
            BinaryData.FromBytes(pdf),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/pdf" } },
            cancellationToken);
    }

    /// <summary>The PDF, or null when there is none.</summary>
    public async Task<byte[]?> ReadAsync(string libraryId, string batchId, CancellationToken cancellationToken = default)
    {
        var container = await _container.Value;
        try
        {
            var content = await container.GetBlobClient(BlobName(libraryId, batchId)).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string libraryId, string batchId, CancellationToken cancellationToken = default)
    {
        var container = await _container.Value;
        await container.DeleteBlobIfExistsAsync(BlobName(libraryId, batchId), cancellationToken: cancellationToken);
    }

    /// <summary>Deletes every PDF of the library (library deletion).</summary>
    public async Task DeleteLibraryAsync(string libraryId, CancellationToken cancellationToken = default)
    {
        var container = await _container.Value;
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, libraryId + "/", cancellationToken))
        {
            await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
        }
    }

    private static string BlobName(string libraryId, string batchId) => $"{libraryId}/{batchId}.pdf";
}
