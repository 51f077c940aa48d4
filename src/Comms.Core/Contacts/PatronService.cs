using Comms.Common;
using Comms.Storage;

namespace Comms.Contacts;

public sealed class PatronService(PatronStore patrons)
{
    /// <summary>A library system syncing its whole roll at once: 10,000 patrons must fit in one call.</summary>
    public const int MaxImportRows = 50_000;

    public async Task<Patron> GetAsync(string libraryId, string patronId, CancellationToken cancellationToken = default) =>
        (TableKeys.IsValidId(patronId) ? await patrons.GetAsync(libraryId, patronId, cancellationToken) : null)
        ?? throw new NotFoundException($"Patron '{patronId}' was not found.");

    public async Task<Patron> UpsertAsync(string libraryId, string patronId, Patron patron, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        if (!string.Equals(patron.Id, patronId, StringComparison.Ordinal))
        {
            errors.Add("id", "The id in the body must match the id in the URL.");
        }

        PatronValidator.Validate(patron, errors);
        errors.ThrowIfAny();
        await patrons.UpsertAsync(libraryId, patron, cancellationToken);
        return patron;
    }

    /// <summary>
    /// Validates every row first and writes only when all are valid, so one bad row rejects the whole import
    /// with every bad row's errors and nothing is written.
    /// </summary>
    /// <param name="rowField">The name a row's field is reported under: <c>[17].contacts[0].email</c> for JSON (the default), the CSV line and column for CSV.</param>
    public async Task<int> ImportAsync(
        string libraryId, IReadOnlyList<Patron> rows, ValidationErrors? parseErrors = null, CancellationToken cancellationToken = default, Func<int, string, string>? rowField = null)
    {
        rowField ??= (row, field) => $"[{row.ToString(System.Globalization.CultureInfo.InvariantCulture)}].{field}";
        var errors = parseErrors ?? new ValidationErrors();
        if (rows.Count == 0)
        {
            errors.Add("patrons", "The import holds no patrons.");
        }
        else if (rows.Count > MaxImportRows)
        {
            errors.Add("patrons", $"At most {MaxImportRows} patrons per import; split the file.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count && rows.Count <= MaxImportRows; i++)
        {
            var rowErrors = new ValidationErrors();
            PatronValidator.Validate(rows[i], rowErrors);
            if (rows[i].Id is not null && !seen.Add(rows[i].Id))
            {
                rowErrors.Add("id", $"Patron '{rows[i].Id}' appears more than once in this import.");
            }

            var row = i;
            errors.AddRange(rowErrors, field => rowField(row, field));
        }

        errors.ThrowIfAny("The import was rejected; nothing was written. Fix every listed row and send it again.");
        await patrons.UpsertManyAsync(libraryId, rows, cancellationToken);
        return rows.Count;
    }

    public async Task DeleteAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
    {
        if (!TableKeys.IsValidId(patronId) || !await patrons.DeleteAsync(libraryId, patronId, cancellationToken))
        {
            throw new NotFoundException($"Patron '{patronId}' was not found.");
        }
    }

    public Task<Page<Patron>> ListAsync(string libraryId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default) =>
        patrons.ListAsync(libraryId, pageSize, continuationToken, cancellationToken);
}
