namespace Comms.Common;

/// <summary>
/// One rule for what a phone number is: E.164, a "+", a country code that does not start with 0, and at most 15
/// digits in all (ITU-T E.164). Stored and sent exactly as given, so the number staff see is the number texted.
/// </summary>
public static class PhoneNumber
{
    public const string Example = "+447700900123";

    public static bool IsValid(string? value)
    {
        if (value is null || value.Length is < 8 or > 16 || value[0] != '+' || value[1] == '0')
        {
            return false;
        }

        for (var i = 1; i < value.Length; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static void Validate(string value, string field, ValidationErrors errors)
    {
        if (!IsValid(value))
        {
            errors.Add(field, $"Use an E.164 number: '+', the country code and the number, 7 to 15 digits, nothing else (for example {Example}).");
        }
    }
}
