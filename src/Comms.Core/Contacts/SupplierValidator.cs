using Comms.Common;
using Comms.Storage;

namespace Comms.Contacts;

public static class SupplierValidator
{
    public static void Validate(Supplier supplier, ValidationErrors errors)
    {
        if (!TableKeys.IsValidId(supplier.Id))
        {
            errors.Add("id", "Use 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        Text.Required(supplier.Name, "name", 200, errors);
        if (supplier.OrderEmails.Count is 0 or > 10)
        {
            errors.Add("orderEmails", "Give between 1 and 10 order email addresses.");
        }

        for (var i = 0; i < supplier.OrderEmails.Count; i++)
        {
            EmailAddress.Validate(supplier.OrderEmails[i], $"orderEmails[{i}]", errors);
        }
    }
}
