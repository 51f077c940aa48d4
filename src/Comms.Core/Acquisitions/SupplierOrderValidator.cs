using System.Text.RegularExpressions;
using Comms.Common;
using Comms.Notices;
using Comms.Storage;

namespace Comms.Acquisitions;

public static partial class SupplierOrderValidator
{
    /// <summary>Every line goes into one email, so an order is bounded as any notice's list is.</summary>
    public const int MaxLines = NoticeLimits.MaxItems;

    public static void Validate(SupplierOrder order, ValidationErrors errors)
    {
        if (!TableKeys.IsValidId(order.OrderNumber))
        {
            errors.Add("orderNumber", "Use 1-100 letters, digits, '.', '_' or '-'.");
        }

        if (!TableKeys.IsValidId(order.SupplierId))
        {
            errors.Add("supplierId", "Use 1-100 letters, digits, '.', '_' or '-'.");
        }

        if (!CurrencyCode().IsMatch(order.Currency))
        {
            errors.Add("currency", "Use a three-letter ISO 4217 code such as GBP or EUR.");
        }

        Text.Optional(order.Notes, "notes", 2000, errors);
        if (order.DeliveryAddress is { Length: > 500 })
        {
            errors.Add("deliveryAddress", "At most 500 characters.");
        }

        if (order.Lines.Count is 0 or > MaxLines)
        {
            errors.Add("lines", $"Give between 1 and {MaxLines} lines.");
        }

        for (var i = 0; i < order.Lines.Count && i < MaxLines; i++)
        {
            ValidateLine(order.Lines[i], $"lines[{i}]", errors);
        }
    }

    private static void ValidateLine(SupplierOrderLine line, string field, ValidationErrors errors)
    {
        Text.Required(line.Title, $"{field}.title", 300, errors);
        if (line.Isbn is not null && !Isbn.IsValid(line.Isbn))
        {
            errors.Add($"{field}.isbn", $"'{line.Isbn}' is not a valid ISBN-10 or ISBN-13.");
        }

        if (line.Quantity is < 1 or > 10_000)
        {
            errors.Add($"{field}.quantity", "Must be between 1 and 10000.");
        }

        if (line.UnitPrice < 0 || line.UnitPrice > 1_000_000 || decimal.Round(line.UnitPrice, 2) != line.UnitPrice)
        {
            errors.Add($"{field}.unitPrice", "Must be between 0 and 1000000 with at most two decimals.");
        }
    }

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();
}
