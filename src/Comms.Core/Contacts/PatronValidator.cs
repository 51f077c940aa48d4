using Comms.Common;
using Comms.Storage;

namespace Comms.Contacts;

public static class PatronValidator
{
    public const int MaxContacts = 20;

    public static void Validate(Patron patron, ValidationErrors errors)
    {
        if (!TableKeys.IsValidId(patron.Id))
        {
            errors.Add("id", "Use 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        Text.Required(patron.Name, "name", 200, errors);
        Text.Optional(patron.Group, "group", 100, errors);
        Text.Optional(patron.NoNoticesReason, "noNoticesReason", 200, errors);
        if (patron.Phone is not null)
        {
            PhoneNumber.Validate(patron.Phone, "phone", errors);
        }

        PostalAddress.Validate(patron.PostalAddress, "postalAddress", errors);
        if (patron.Branch is not null && !TableKeys.IsValidId(patron.Branch))
        {
            errors.Add("branch", "Use 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        if (patron.PreferredLanguage is not null)
        {
            Language.Validate(patron.PreferredLanguage, "preferredLanguage", errors);
        }

        if (patron.Contacts.Count > MaxContacts)
        {
            errors.Add("contacts", $"At most {MaxContacts} contacts per patron.");
        }

        for (var i = 0; i < patron.Contacts.Count; i++)
        {
            var contact = patron.Contacts[i];
            var field = $"contacts[{i}]";
            if (!Enum.IsDefined(contact.Role))
            {
                errors.Add($"{field}.role", "Unknown role.");
            }

            Text.Required(contact.Name, $"{field}.name", 200, errors);
            if (contact.Email is not null)
            {
                EmailAddress.Validate(contact.Email, $"{field}.email", errors);
            }

            if (contact.Phone is not null)
            {
                PhoneNumber.Validate(contact.Phone, $"{field}.phone", errors);
            }

            PostalAddress.Validate(contact.PostalAddress, $"{field}.postalAddress", errors);
        }
    }
}
