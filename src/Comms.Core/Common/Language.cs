using System.Globalization;

namespace Comms.Common;

/// <summary>BCP 47 language tags ("en", "en-GB", "cy") as the runtime's culture data knows them.</summary>
public static class Language
{
    public static bool IsKnown(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag) || tag.Length > 35)
        {
            return false;
        }

        try
        {
            var culture = CultureInfo.GetCultureInfo(tag, predefinedOnly: true);
            return !culture.Equals(CultureInfo.InvariantCulture);
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }

    public static void Validate(string? tag, string field, ValidationErrors errors)
    {
        if (!IsKnown(tag))
        {
            errors.Add(field, $"'{tag}' is not a known language tag (for example 'en' or 'en-GB').");
        }
    }
}
