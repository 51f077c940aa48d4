using Comms.Storage;

namespace Comms.Suppression;

/// <summary>Who removed which address from the blacklist, and when, and what the entry said.</summary>
public sealed record BlacklistAuditEntry(string LibraryId, string Address, string Action, string By, DateTimeOffset At, string PreviousReason, string PreviousSource);

/// <summary>Table BlacklistAudit: partition = library, newest first. Written after every staff removal.</summary>
public sealed class BlacklistAudit(CommsTables tables)
{
    private readonly DocumentTable<BlacklistAuditEntry> _audit = new(tables, "BlacklistAudit");

    public async Task<BlacklistAuditEntry> RecordAsync(string libraryId, BlacklistEntry removed, string by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var entry = new BlacklistAuditEntry(libraryId, removed.Address, "removed", by, at, removed.Reason, removed.Source);
        await _audit.UpsertAsync(libraryId, TableKeys.NewestFirst(at) + "-" + Guid.NewGuid().ToString("N")[..8], entry, cancellationToken);
        return entry;
    }

    public Task<Page<BlacklistAuditEntry>> ListAsync(string libraryId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        _audit.ListAsync(libraryId, pageSize, continuationToken, cancellationToken);
}
