using System.Text;

namespace Comms.Storage;

/// <summary>
/// Table keys may not contain / \ # ? or control characters. Ids from the library system are validated
/// against <see cref="IdPattern"/> so they are safe keys as they are; <see cref="Escape"/> covers free text
/// such as email addresses.
/// </summary>
public static class TableKeys
{
    /// <summary>Ids accepted from callers: letters, digits, '-', '_', '.', at most 100 characters.</summary>
    public const string IdPattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$";

    public static bool IsValidId(string? id) =>
        id is not null && System.Text.RegularExpressions.Regex.IsMatch(id, IdPattern);

    public static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
            {
                sb.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>A row key that sorts newest first: the inverted tick count, zero-padded.</summary>
    public static string NewestFirst(DateTimeOffset time) =>
        (DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
}
