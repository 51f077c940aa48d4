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

    public CommsTables(IOptions<StorageOptions> options)
    {
        var o = options.Value;
        _prefix = o.TablePrefix;
        _service = !string.IsNullOrWhiteSpace(o.ConnectionString)
            ? new TableServiceClient(o.ConnectionString)
            : new TableServiceClient(o.TableServiceUri, new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrWhiteSpace(o.ManagedIdentityClientId) ? null : o.ManagedIdentityClientId,
            }));
    }

    public TableServiceClient Service => _service;

    public Task<TableClient> GetAsync(string name) =>
        _tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(_prefix + n))).Value;

    private async Task<TableClient> CreateAsync(string tableName)
    {
        var client = _service.GetTableClient(tableName);
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    }
}
