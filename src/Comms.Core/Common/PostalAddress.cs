namespace Comms.Common;

/// <summary>
/// A postal address as it goes on an envelope: up to <see cref="MaxLines"/> lines of at most <see cref="MaxLineLength"/>
/// characters, separated by line feeds (a CR before one is dropped), no other control characters. Printed as given in the
/// address block of a printed notice (docs/channels.md), so what staff stored is what the envelope window shows.
/// </summary>
public static class PostalAddress
{
    public const int MaxLines = 6;
    public const int MaxLineLength = 60;

    public static IReadOnlyList<string> Lines(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : [.. value.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

    /// <summary>The address on one line ("1 High Street, Leeds LS1 1AA"), for the log's address column.</summary>
    public static string? OneLine(string? value) => Lines(value) is { Count: > 0 } lines ? string.Join(", ", lines) : null;

    public static void Validate(string? value, string field, ValidationErrors errors)
    {
        if (value is null)
        {
            return;
        }

        var lines = value.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "Leave it out, or give at least one line.");
        }
        else if (lines.Length > MaxLines || lines.Any(l => l.Length > MaxLineLength))
        {
            errors.Add(field, $"At most {MaxLines} lines of at most {MaxLineLength} characters each, separated by line breaks.");
        }

        if (value.Any(c => char.IsControl(c) && c is not '\n' and not '\r'))
        {
            errors.Add(field, "Control characters other than line breaks are not allowed.");
        }
    }
}
