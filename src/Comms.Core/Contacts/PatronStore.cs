using Comms.Storage;

namespace Comms.Contacts;

/// <summary>Patrons with their contacts, partitioned by library.</summary>
public sealed class PatronStore(CommsTables tables)
{
    private readonly DocumentTable<Patron> _patrons = new(tables, "Patrons");

    public Task<Patron?> GetAsync(string libraryId, string patronId, CancellationToken cancellationToken = default) =>
        _patrons.GetAsync(libraryId, patronId, cancellationToken);

    public Task UpsertAsync(string libraryId, Patron patron, CancellationToken cancellationToken = default) =>
        _patrons.UpsertAsync(libraryId, patron.Id, patron, cancellationToken);

    public Task UpsertManyAsync(string libraryId, IReadOnlyList<Patron> patrons, CancellationToken cancellationToken = default) =>
        _patrons.UpsertManyAsync(libraryId, patrons.Select(p => (p.Id, p)), cancellationToken);

    public Task<bool> DeleteAsync(string libraryId, string patronId, CancellationToken cancellationToken = default) =>
        _patrons.DeleteAsync(libraryId, patronId, cancellationToken);

    public Task<Page<Patron>> ListAsync(string libraryId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        _patrons.ListAsync(libraryId, pageSize, continuationToken, cancellationToken);
}
