using Comms.Circulation;
using Comms.Common;

namespace Comms.Templates;

/// <summary>Bounds on the charges and renewals facts a preview or test send may bring, as for the other sections.</summary>
internal static class CatalogueDataValidator
{
    private const int MaxText = 500;

    public static void Validate(TemplateData data, ValidationErrors errors)
    {
        if (data.Charges is { } charges)
        {
            Lines(charges.Lines.Count, "data.charges.lines", errors);
            for (var i = 0; i < Math.Min(charges.Lines.Count, TemplateDataValidator.MaxItems); i++)
            {
                var line = charges.Lines[i];
                Item(line.Title, line.Author, line.Barcode, $"data.charges.lines[{i}]", errors);
                ChargeAmounts.Check(line.ReplacementCost, $"data.charges.lines[{i}].replacementCost", errors);
                ChargeAmounts.Check(line.Fee, $"data.charges.lines[{i}].fee", errors);
            }

            ChargeAmounts.Check(charges.Remaining, "data.charges.remaining", errors);
            ChargeAmounts.Check(charges.Paid, "data.charges.paid", errors);
            ChargeAmounts.Check(charges.Balance, "data.charges.balance", errors);
        }

        if (data.Renewals is { } renewals)
        {
            Lines(renewals.Renewed.Count + renewals.NotRenewed.Count, "data.renewals", errors);
            for (var i = 0; i < Math.Min(renewals.Renewed.Count, TemplateDataValidator.MaxItems); i++)
            {
                Item(renewals.Renewed[i].Title, renewals.Renewed[i].Author, renewals.Renewed[i].Barcode, $"data.renewals.renewed[{i}]", errors);
            }

            for (var i = 0; i < Math.Min(renewals.NotRenewed.Count, TemplateDataValidator.MaxItems); i++)
            {
                Item(renewals.NotRenewed[i].Title, renewals.NotRenewed[i].Author, renewals.NotRenewed[i].Barcode, $"data.renewals.notRenewed[{i}]", errors);
            }
        }
    }

    private static void Lines(int count, string field, ValidationErrors errors)
    {
        if (count > TemplateDataValidator.MaxItems)
        {
            errors.Add(field, $"At most {TemplateDataValidator.MaxItems} items.");
        }
    }

    private static void Item(string title, string? author, string barcode, string field, ValidationErrors errors)
    {
        Text.Required(title, field + ".title", MaxText, errors);
        Text.Optional(author, field + ".author", MaxText, errors);
        Text.Optional(barcode, field + ".barcode", 100, errors);
    }
}
