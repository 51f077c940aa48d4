using System.Globalization;
using Comms.Common;
using CsvHelper;
using CsvHelper.Configuration;

namespace Comms.Contacts;

/// <summary>
/// Reads the CSV form of a patron import: one line per contact, patron columns repeated on each of the
/// patron's lines (a patron without contacts has one line with empty contact columns).
/// </summary>
public static class PatronCsv
{
    public static readonly string[] Columns =
        ["patronId", "name", "group", "preferredLanguage", "noNotices", "contactRole", "contactName", "contactEmail", "contactActive", "phone", "contactPhone"];

    /// <summary>
    /// Parses every line; problems that belong to the CSV itself (unknown role, bad boolean, conflicting
    /// patron columns) are collected in <paramref name="errors"/> by line so the import can report them
    /// together with the patrons' own validation errors.
    /// </summary>
    public static IReadOnlyList<Patron> Parse(TextReader reader, ValidationErrors errors) => Parse(reader, errors, out _);

    /// <summary>As <see cref="Parse(TextReader, ValidationErrors)"/>, with where each patron and contact came from.</summary>
    public static IReadOnlyList<Patron> Parse(TextReader reader, ValidationErrors errors, out PatronCsvLines lines)
    {
        var patronLines = new List<int>();
        var contactLines = new List<List<int>>();
        lines = new PatronCsvLines(patronLines, contactLines);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.None,
            MissingFieldFound = null,
            BadDataFound = null,
            DetectColumnCountChanges = false,
        };
        using var csv = new CsvReader(reader, config);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
        {
            throw RequestValidationException.For("csv", $"The CSV needs a header line: {string.Join(',', Columns)}.");
        }

        var missing = Columns.Take(2).Where(c => !csv.HeaderRecord.Contains(c, StringComparer.Ordinal)).ToList();
        var unknown = csv.HeaderRecord.Where(h => !Columns.Contains(h, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0 || unknown.Count > 0)
        {
            if (missing.Count > 0)
            {
                errors.Add("csv.header", $"Missing columns: {string.Join(", ", missing)}.");
            }

            if (unknown.Count > 0)
            {
                errors.Add("csv.header", $"Unknown columns: {string.Join(", ", unknown)}. Allowed: {string.Join(", ", Columns)}.");
            }

            errors.ThrowIfAny();
        }

        var patrons = new List<Patron>();
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        while (csv.Read())
        {
            var line = csv.Parser.Row;
            var field = $"csv.line{line.ToString(CultureInfo.InvariantCulture)}";
            string? Get(string column) => csv.HeaderRecord.Contains(column) ? Blank(csv.GetField(column)) : null;

            var id = Get("patronId") ?? string.Empty;
            var contact = ReadContact(Get, field, errors);
            if (byId.TryGetValue(id, out var index))
            {
                var existing = patrons[index];
                if (!string.Equals(existing.Name, Get("name") ?? string.Empty, StringComparison.Ordinal))
                {
                    errors.Add($"{field}.name", $"Patron '{id}' has a different name on an earlier line.");
                }

                patrons[index] = existing with { Contacts = contact is null ? existing.Contacts : [.. existing.Contacts, contact] };
                if (contact is not null)
                {
                    contactLines[index].Add(line);
                }

                continue;
            }

            byId[id] = patrons.Count;
            patronLines.Add(line);
            contactLines.Add(contact is null ? [] : [line]);
            patrons.Add(new Patron
            {
                Id = id,
                Name = Get("name") ?? string.Empty,
                Group = Get("group"),
                PreferredLanguage = Get("preferredLanguage"),
                NoNotices = ReadBool(Get("noNotices"), false, $"{field}.noNotices", errors),
                Phone = Get("phone"),
                Contacts = contact is null ? [] : [contact],
            });
        }

        return patrons;
    }

    private static Contact? ReadContact(Func<string, string?> get, string field, ValidationErrors errors)
    {
        var role = get("contactRole");
        if (role is null && get("contactName") is null && get("contactEmail") is null && get("contactPhone") is null)
        {
            return null;
        }

        if (role is null || !Enum.TryParse<ContactRole>(role, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(role, out _))
        {
            errors.Add($"{field}.contactRole", $"Unknown role '{role}'. Use one of: {string.Join(", ", Enum.GetNames<ContactRole>().Select(CamelCase))}.");
            parsed = ContactRole.Patron;
        }

        return new Contact
        {
            Role = parsed,
            Name = get("contactName") ?? string.Empty,
            Email = get("contactEmail"),
            Phone = get("contactPhone"),
            Active = ReadBool(get("contactActive"), true, $"{field}.contactActive", errors),
        };
    }

    private static bool ReadBool(string? value, bool fallback, string field, ValidationErrors errors)
    {
        if (value is null)
        {
            return fallback;
        }

        if (bool.TryParse(value, out var result))
        {
            return result;
        }

        errors.Add(field, $"'{value}' is not true or false.");
        return fallback;
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}

/// <summary>
/// The CSV line of each imported patron and contact, so a row's validation errors are named by the line and
/// column the user sees (<c>csv.line4.contactEmail</c>), like the errors of the CSV itself.
/// </summary>
public sealed partial class PatronCsvLines(IReadOnlyList<int> patronLines, IReadOnlyList<List<int>> contactLines)
{
    /// <summary>The CSV name of <paramref name="field"/> (a patron validation field) of patron <paramref name="row"/>.</summary>
    public string Field(int row, string field)
    {
        var contact = ContactField().Match(field);
        if (contact.Success && int.TryParse(contact.Groups["index"].Value, CultureInfo.InvariantCulture, out var index) && index < contactLines[row].Count)
        {
            var column = contact.Groups["rest"].Value switch
            {
                "role" => "contactRole",
                "name" => "contactName",
                "email" => "contactEmail",
                "phone" => "contactPhone",
                "active" => "contactActive",
                var other => "contact." + other,
            };
            return Line(contactLines[row][index], column);
        }

        return Line(patronLines[row], field == "id" ? "patronId" : field);
    }

    private static string Line(int line, string column) => $"csv.line{line.ToString(CultureInfo.InvariantCulture)}.{column}";

    [System.Text.RegularExpressions.GeneratedRegex(@"^contacts\[(?<index>\d+)\]\.(?<rest>.+)$")]
    private static partial System.Text.RegularExpressions.Regex ContactField();
}
