using System.Globalization;
using Comms.Common;

namespace Comms.Circulation;

/// <summary>Amounts the library system charges or reports: not negative, whole hundredths, within reason.</summary>
public static class ChargeAmounts
{
    public const decimal Max = 1_000_000m;

    public static void ThrowIfBad(decimal? amount, string field)
    {
        var errors = new ValidationErrors();
        Check(amount, field, errors);
        errors.ThrowIfAny();
    }

    public static void Check(decimal? amount, string field, ValidationErrors errors, bool required = false)
    {
        if (amount is null)
        {
            if (required)
            {
                errors.Add(field, "Required: an amount such as 12.50.");
            }

            return;
        }

        if (amount < 0 || amount > Max || decimal.Round(amount.Value, 2) != amount)
        {
            errors.Add(field, $"An amount from 0 to {Max.ToString("N0", CultureInfo.InvariantCulture)} with at most two decimals.");
        }
    }
}
