using Comms.Common;
using Comms.Storage;

namespace Comms.Suppression;

/// <summary>
/// The blacklist in Table Storage, one partition per address key so the check before every send is a
/// point read that scales with the number of addresses.
/// </summary>
public sealed class BlacklistStore(CommsTables tables)
{
    private const string Row = "entry";
    private readonly DocumentTable<BlacklistEntry> _entries = new(tables, "Blacklist");

    public async Task<bool> IsBlacklistedAsync(string address, CancellationToken cancellationToken = default) =>
        await GetAsync(address, cancellationToken) is not null;

    public Task<BlacklistEntry?> GetAsync(string address, CancellationToken cancellationToken = default) =>
        _entries.GetAsync(PartitionFor(address), Row, cancellationToken);

    /// <summary>Adds or refreshes an entry; the address is stored in normal form.</summary>
    public async Task<BlacklistEntry> AddAsync(string address, string reason, string source, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (!EmailAddress.TryNormalize(address, out var normalized))
        {
            throw RequestValidationException.For("address", "Not a valid email address.");
        }

        var entry = new BlacklistEntry { Address = normalized, Reason = reason, Source = source, UpdatedAt = now };
        await _entries.UpsertAsync(PartitionFor(normalized), Row, entry, cancellationToken);
        return entry;
    }

    public Task<bool> RemoveAsync(string address, CancellationToken cancellationToken = default) =>
        _entries.DeleteAsync(PartitionFor(address), Row, cancellationToken);

    public async Task<Page<BlacklistEntry>> ListAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync("Blacklist");
        var pages = table.QueryAsync<JsonRow>(maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize);
        await foreach (var page in pages)
        {
            return new Page<BlacklistEntry>(
                [.. page.Values.Select(r => System.Text.Json.JsonSerializer.Deserialize<BlacklistEntry>(r.Data, CommsJson.Options)!)],
                page.ContinuationToken);
        }

        return new Page<BlacklistEntry>([], null);
    }

    /// <summary>Lookups compare whole addresses case-insensitively (see <see cref="EmailAddress.Key"/>).</summary>
    private static string PartitionFor(string address) =>
        TableKeys.Escape(EmailAddress.TryNormalize(address, out var normalized) ? EmailAddress.Key(normalized) : address.Trim().ToLowerInvariant());
}
