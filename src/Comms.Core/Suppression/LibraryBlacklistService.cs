using System.Text;
using Comms.Common;
using Comms.Contacts;
using Comms.Storage;

namespace Comms.Suppression;

/// <summary>A blacklisted address as one library's staff see it: only addresses of that library's contacts.</summary>
public sealed record LibraryBlacklistItem(
    string Address, string Reason, string Source, DateTimeOffset UpdatedAt, IReadOnlyList<string> PatronIds, IReadOnlyList<string> SupplierIds);

/// <summary>
/// "Manage blacklist" for one library. The blacklist is global, so the library's view is computed from the
/// library's own contacts: each page reads one page of the library's patrons (then suppliers) and point-reads
/// the blacklist for their addresses. Nothing outside the library's partitions is ever listed, so another
/// library's addresses cannot leak, and no index has to be kept in step with contact writes. The cost is one
/// blacklist point read per contact address (run concurrently); see docs/suppression.md.
/// </summary>
public sealed class LibraryBlacklistService(
    PatronStore patrons,
    SupplierStore suppliers,
    BlacklistStore blacklist,
    IEnumerable<ISuppressionSource> sources,
    BlacklistAudit audit,
    TimeProvider clock)
{
    private const int LookupConcurrency = 16;

    public async Task<Page<LibraryBlacklistItem>> ListAsync(string libraryId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var (phase, inner) = ParseToken(continuationToken);
        var owners = new Dictionary<string, (string Address, List<string> Patrons, List<string> Suppliers)>(StringComparer.Ordinal);
        string? next;
        if (phase == 'p')
        {
            var page = await patrons.ListAsync(libraryId, pageSize, inner, cancellationToken);
            foreach (var patron in page.Items)
            {
                foreach (var contact in patron.Contacts)
                {
                    Own(owners, contact.Email)?.Patrons.Add(patron.Id);
                }
            }

            next = page.ContinuationToken is null ? Token('s', null) : Token('p', page.ContinuationToken);
        }
        else
        {
            var page = await suppliers.ListAsync(libraryId, pageSize, inner, cancellationToken);
            foreach (var supplier in page.Items)
            {
                foreach (var email in supplier.OrderEmails)
                {
                    Own(owners, email)?.Suppliers.Add(supplier.Id);
                }
            }

            next = page.ContinuationToken is null ? null : Token('s', page.ContinuationToken);
        }

        var items = new List<LibraryBlacklistItem>();
        await Parallel.ForEachAsync(
            owners.Values,
            new ParallelOptions { MaxDegreeOfParallelism = LookupConcurrency, CancellationToken = cancellationToken },
            async (owner, ct) =>
            {
                if (await blacklist.GetAsync(owner.Address, ct) is { } entry)
                {
                    lock (items)
                    {
                        items.Add(new LibraryBlacklistItem(entry.Address, entry.Reason, entry.Source, entry.UpdatedAt, [.. owner.Patrons.Distinct()], [.. owner.Suppliers.Distinct()]));
                    }
                }
            });
        items.Sort((a, b) => string.CompareOrdinal(a.Address, b.Address));
        return new Page<LibraryBlacklistItem>(items, next);
    }

    /// <summary>
    /// Removes an address of this library's contacts from every enabled provider's suppression list, then from
    /// the blacklist, and audits it. An address that is not this library's, or not blacklisted, is a 404 either way.
    /// </summary>
    public async Task<BlacklistAuditEntry> RemoveAsync(string libraryId, string address, string removedBy, CancellationToken cancellationToken = default)
    {
        if (!EmailAddress.TryNormalize(address, out var normalized))
        {
            throw RequestValidationException.For("address", "Not a valid email address.");
        }

        var entry = await blacklist.GetAsync(normalized, cancellationToken);
        if (entry is null || !await BelongsToLibraryAsync(libraryId, normalized, cancellationToken))
        {
            throw new NotFoundException("This address is not on the blacklist for this library's contacts.");
        }

        // Provider first: if it fails, nothing changes here and staff can try again.
        foreach (var source in sources.Where(s => s.IsEnabled))
        {
            await source.RemoveAsync(entry, cancellationToken);
        }

        await blacklist.RemoveAsync(normalized, cancellationToken);
        return await audit.RecordAsync(libraryId, entry, removedBy, clock.GetUtcNow(), cancellationToken);
    }

    private async Task<bool> BelongsToLibraryAsync(string libraryId, string normalized, CancellationToken cancellationToken)
    {
        var key = EmailAddress.Key(normalized);
        string? token = null;
        do
        {
            var page = await patrons.ListAsync(libraryId, 1000, token, cancellationToken);
            if (page.Items.Any(p => p.Contacts.Any(c => Matches(c.Email, key))))
            {
                return true;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);

        do
        {
            var page = await suppliers.ListAsync(libraryId, 1000, token, cancellationToken);
            if (page.Items.Any(s => s.OrderEmails.Any(e => Matches(e, key))))
            {
                return true;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
        return false;
    }

    private static bool Matches(string? email, string key) =>
        EmailAddress.TryNormalize(email, out var n) && EmailAddress.Key(n) == key;

    private static (string Address, List<string> Patrons, List<string> Suppliers)? Own(
        Dictionary<string, (string Address, List<string> Patrons, List<string> Suppliers)> owners, string? email)
    {
        if (!EmailAddress.TryNormalize(email, out var normalized))
        {
            return null;
        }

        var key = EmailAddress.Key(normalized);
        if (!owners.TryGetValue(key, out var owner))
        {
            owner = (normalized, [], []);
            owners[key] = owner;
        }

        return owner;
    }

    // The API's token wraps the table's: which list ('p' patrons, 's' suppliers) and where in it.
    private static string Token(char phase, string? inner) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(phase + (inner ?? string.Empty)));

    private static (char Phase, string? Inner) ParseToken(string? token)
    {
        if (token is null)
        {
            return ('p', null);
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.Length > 0 && text[0] is 'p' or 's')
            {
                return (text[0], text.Length > 1 ? text[1..] : null);
            }
        }
        catch (FormatException)
        {
        }

        throw RequestValidationException.For("continuationToken", "This is not a token this API issued.");
    }
}
