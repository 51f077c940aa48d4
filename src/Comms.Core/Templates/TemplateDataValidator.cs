using Comms.Common;

namespace Comms.Templates;

/// <summary>Bounds on facts sent for a preview: sizes that fit an email, and links a reader may safely click.</summary>
internal static class TemplateDataValidator
{
    public const int MaxItems = 200;
    private const int MaxText = 500;

    /// <summary>Patrons a preview lists; their items together stay within <see cref="MaxItems"/>.</summary>
    public const int MaxPatrons = 100;

    public static void Validate(TemplateData data, ValidationErrors errors)
    {
        if (data.Items is { Count: > MaxItems })
        {
            errors.Add("data.items", $"At most {MaxItems} items.");
        }

        ValidateItems(data.Items, "data.items", errors);
        ValidatePatrons(data.Patrons, errors);

        if (data.Reservation is { } r)
        {
            Text.Required(r.Title, "data.reservation.title", MaxText, errors);
            Text.Optional(r.Author, "data.reservation.author", MaxText, errors);
            Text.Required(r.PickupLocation, "data.reservation.pickupLocation", MaxText, errors);
            Text.Optional(r.Reason, "data.reservation.reason", MaxText, errors);
        }

        if (data.Order is { } o)
        {
            ValidateOrder(o, errors);
        }

        if (data.Reset is { } reset && !(Uri.TryCreate(reset.Link, UriKind.Absolute, out var link) && link.Scheme == Uri.UriSchemeHttps))
        {
            errors.Add("data.reset.link", "Use an absolute https:// link.");
        }

        if (data.Recall is { } recall)
        {
            Text.Required(recall.Reason, "data.recall.reason", MaxText, errors);
        }

        CatalogueDataValidator.Validate(data, errors);
    }

    private static void ValidateOrder(OrderFacts order, ValidationErrors errors)
    {
        Text.Required(order.Number, "data.order.number", 100, errors);
        Text.Optional(order.SupplierName, "data.order.supplierName", MaxText, errors);
        Text.Required(order.DeliveryAddress, "data.order.deliveryAddress", MaxText, errors);
        if (order.Currency is not { Length: 3 } || !order.Currency.All(char.IsAsciiLetterUpper))
        {
            errors.Add("data.order.currency", "Use a three-letter ISO 4217 code such as 'GBP'.");
        }

        if (order.Lines.Count is 0 or > MaxItems)
        {
            errors.Add("data.order.lines", $"List 1 to {MaxItems} lines.");
        }

        for (var i = 0; i < Math.Min(order.Lines.Count, MaxItems); i++)
        {
            var line = order.Lines[i];
            Text.Required(line.Title, $"data.order.lines[{i}].title", MaxText, errors);
            Text.Optional(line.Isbn, $"data.order.lines[{i}].isbn", 20, errors);
            if (line.Quantity is < 1 or > 10_000)
            {
                errors.Add($"data.order.lines[{i}].quantity", "Between 1 and 10000.");
            }

            if (line.UnitPrice is < 0 or > 1_000_000)
            {
                errors.Add($"data.order.lines[{i}].unitPrice", "Between 0 and 1000000.");
            }
        }
    }

    private static void ValidateItems(IReadOnlyList<LoanFacts>? items, string field, ValidationErrors errors)
    {
        if (items is { Count: > MaxItems })
        {
            errors.Add(field, $"At most {MaxItems} items.");
        }

        for (var i = 0; i < Math.Min(items?.Count ?? 0, MaxItems); i++)
        {
            var item = items![i];
            if (item is null)
            {
                errors.Add($"{field}[{i}]", "An item object is required.");
                continue;
            }

            Text.Required(item.Title, $"{field}[{i}].title", MaxText, errors);
            Text.Optional(item.Author, $"{field}[{i}].author", MaxText, errors);
            Text.Required(item.Barcode, $"{field}[{i}].barcode", 100, errors);
        }
    }

    private static void ValidatePatrons(IReadOnlyList<PatronFacts>? patrons, ValidationErrors errors)
    {
        if (patrons is null)
        {
            return;
        }

        if (patrons.Count > MaxPatrons || patrons.Sum(p => p?.Items?.Count ?? 0) > MaxItems)
        {
            errors.Add("data.patrons", $"At most {MaxPatrons} patrons and {MaxItems} items between them.");
            return;
        }

        for (var i = 0; i < patrons.Count; i++)
        {
            if (patrons[i] is not { } patron)
            {
                errors.Add($"data.patrons[{i}]", "A patron object is required.");
                continue;
            }

            Text.Required(patron.Name, $"data.patrons[{i}].name", MaxText, errors);
            Text.Optional(patron.Group, $"data.patrons[{i}].group", 100, errors);
            if (patron.Items is null)
            {
                errors.Add($"data.patrons[{i}].items", "Required: the patron's items (may be empty).");
            }

            ValidateItems(patron.Items, $"data.patrons[{i}].items", errors);
        }
    }
}
