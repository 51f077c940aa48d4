using System.Globalization;
using System.Text;
using MimeKit;

namespace Comms.Common;

/// <summary>
/// One rule for what an email address is, used by validation, the blacklist key and the delivery pipeline.
/// The normal form is trimmed, NFC, with the domain lower-cased (IDN to punycode); the local part keeps its
/// case because RFC 5321 says it may matter, but blacklist lookups compare the whole address case-insensitively.
/// </summary>
public static class EmailAddress
{
    public const int MaxLength = 254;

    public static bool TryNormalize(string? value, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var trimmed = value.Trim().Normalize(NormalizationForm.FormC);
        if (trimmed.Length > MaxLength || trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"'))
        {
            return false;
        }

        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1 || trimmed.IndexOf('@') != at)
        {
            return false;
        }

        var local = trimmed[..at];
        string domain;
        try
        {
            domain = new IdnMapping().GetAscii(trimmed[(at + 1)..]).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return false;
        }

        if (local.Length > 64 || !domain.Contains('.', StringComparison.Ordinal) || domain.StartsWith('.') || domain.EndsWith('.')
            || domain.Contains("..", StringComparison.Ordinal) || local.StartsWith('.') || local.EndsWith('.')
            || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        var candidate = $"{local}@{domain}";
        if (!MailboxAddress.TryParse(candidate, out var mailbox) || !string.Equals(mailbox.Address, candidate, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        normalized = candidate;
        return true;
    }

    /// <summary>The blacklist and ledger key: the normal form, lower-cased.</summary>
    public static string Key(string normalized) => normalized.ToLowerInvariant();

    /// <summary>Adds a field error unless <paramref name="value"/> is a valid address already in normal form.</summary>
    public static void Validate(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "An email address is required.");
        }
        else if (!TryNormalize(value, out var normalized))
        {
            errors.Add(field, $"'{Truncate(value)}' is not a valid email address.");
        }
        else if (!string.Equals(normalized, value, StringComparison.Ordinal))
        {
            errors.Add(field, $"Email addresses must be sent in normal form: use '{normalized}'.");
        }
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 80), "…");
}
