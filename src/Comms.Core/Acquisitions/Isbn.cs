namespace Comms.Acquisitions;

/// <summary>ISBN-10 and ISBN-13 check digits; hyphens and spaces are allowed as printed on books.</summary>
public static class Isbn
{
    public static bool IsValid(string value)
    {
        var digits = value.Where(c => c is not ('-' or ' ')).ToArray();
        return digits.Length switch
        {
            10 => IsValid10(digits),
            13 => IsValid13(digits),
            _ => false,
        };
    }

    private static bool IsValid10(char[] d)
    {
        var sum = 0;
        for (var i = 0; i < 10; i++)
        {
            int v;
            if (i == 9 && d[i] is 'X' or 'x')
            {
                v = 10;
            }
            else if (char.IsAsciiDigit(d[i]))
            {
                v = d[i] - '0';
            }
            else
            {
                return false;
            }

            sum += v * (10 - i);
        }

        return sum % 11 == 0;
    }

    private static bool IsValid13(char[] d)
    {
        if (!d.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 13; i++)
        {
            sum += (d[i] - '0') * (i % 2 == 0 ? 1 : 3);
        }

        return sum % 10 == 0;
    }
}
