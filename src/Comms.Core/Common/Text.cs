namespace Comms.Common;

/// <summary>Rules for free-text fields: present, bounded, and free of control characters that could break headers.</summary>
public static class Text
{
    public static void Required(string? value, string field, int maxLength, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "Required.");
            return;
        }

        Optional(value, field, maxLength, errors);
    }

    public static void Optional(string? value, string field, int maxLength, ValidationErrors errors)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > maxLength)
        {
            errors.Add(field, $"At most {maxLength} characters.");
        }

        if (value.Any(char.IsControl))
        {
            errors.Add(field, "Control characters (including line breaks) are not allowed.");
        }
    }
}
