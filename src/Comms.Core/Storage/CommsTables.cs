using System.Collections.Concurrent;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Options;

namespace Comms.Storage;

/// <summary>Hands out table clients by logical name, creating each table once per process.</summary>
public sealed class CommsTables
{
    private readonly TableServiceClient _service;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);

    /// <param name="options">Where the tables are.</param>
    /// <param name="clientOptions">The SDK's client options when registered (tests add pipeline policies); else its defaults.</param>
    public CommsTables(IOptions<StorageOptions> options, TableClientOptions? clientOptions = null)
    {
        var o = options.Value;
        _prefix = o.TablePrefix;
        _service = !string.IsNullOrWhiteSpace(o.ConnectionString)
            ? new TableServiceClient(o.ConnectionString, clientOptions)
            : new TableServiceClient(o.TableServiceUri, new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrWhiteSpace(o.ManagedIdentityClientId) ? null : o.ManagedIdentityClientId,
            }), clientOptions);
    }

    public TableServiceClient Service => _service;

    public Task<TableClient> GetAsync(string name) =>
        _tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(_prefix + n))).Value;

    /// <summary>Azure Table transactions take at most 100 operations, all in one partition.</summary>
    public const int BatchSize = 100;

    /// <summary>Deletes every row of one partition, in transactions of <see cref="BatchSize"/>.</summary>
    public async Task<int> DeletePartitionAsync(string name, string partition, CancellationToken cancellationToken = default)
    {
        var table = await GetAsync(name);
        var rows = table.QueryAsync<TableEntity>(r => r.PartitionKey == partition, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken);
        return await TableBatches.DeleteAllAsync(table, rows, cancellationToken);
    }

    private async Task<TableClient> CreateAsync(string tableName)
    {
        var client = _service.GetTableClient(tableName);
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    }
}
