using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Scenarios;

namespace Comms.Preferences;

/// <summary>
/// Checks a choice against the library's rules and the patron's contacts, naming each bad field
/// (<c>scenarios.overdue</c>, <c>contacts[1].email</c>), and turns a valid one into what is stored.
/// </summary>
public static class PreferenceValidator
{
    public static PatronPreferences? Validate(Library library, Patron patron, PreferencesInput input, ValidationErrors errors)
    {
        if (input.PatronId is not null && !string.Equals(input.PatronId, patron.Id, StringComparison.Ordinal))
        {
            errors.Add("patronId", "The patron id in the body must match the patron in the URL.");
        }

        if (input.Language is not null)
        {
            Language.Validate(input.Language, "language", errors);
        }

        CourtesyDays.Validate(library, input.PreOverdueDaysBefore, CourtesyDays.Field, errors);
        var delivery = Delivery(input.Delivery, errors);
        var off = Scenarios(library, input.Scenarios, "scenarios", errors);
        var contacts = new List<ContactPreferences>();
        var given = input.Contacts ?? [];
        if (given.Count > PatronValidator.MaxContacts)
        {
            errors.Add("contacts", $"At most {PatronValidator.MaxContacts} contacts per patron.");
        }

        var known = patron.Contacts
            .Select(c => EmailAddress.TryNormalize(c.Email, out var normal) ? EmailAddress.Key(normal) : null)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < given.Count && given.Count <= PatronValidator.MaxContacts; i++)
        {
            var field = $"contacts[{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}]";
            var contact = given[i];
            if (contact is null)
            {
                errors.Add(field, "A contact's preferences are an object.");
                continue;
            }

            if (!EmailAddress.TryNormalize(contact.Email, out var address))
            {
                errors.Add($"{field}.email", "A valid address of one of the patron's contacts is required.");
            }
            else if (!known.Contains(EmailAddress.Key(address)))
            {
                errors.Add($"{field}.email", "Not an address of this patron's contacts.");
            }
            else if (!seen.Add(EmailAddress.Key(address)))
            {
                errors.Add($"{field}.email", "This contact is listed more than once.");
            }

            if (contact.Language is not null)
            {
                Language.Validate(contact.Language, $"{field}.language", errors);
            }

            var contactOff = Scenarios(library, contact.Scenarios, $"{field}.scenarios", errors);
            if (EmailAddress.TryNormalize(contact.Email, out var normalized) && (contactOff.Count > 0 || contact.Language is not null))
            {
                contacts.Add(new ContactPreferences { Email = normalized, Language = contact.Language, Off = contactOff });
            }
        }

        return errors.IsEmpty ? new PatronPreferences { Language = input.Language, PreOverdueDaysBefore = input.PreOverdueDaysBefore, Delivery = delivery, Off = off, Contacts = contacts } : null;
    }

    /// <summary>The public names of <see cref="NoticeDelivery"/>: "digest" and "perItem".</summary>
    public static string DeliveryName(NoticeDelivery delivery) => delivery == NoticeDelivery.PerItem ? "perItem" : "digest";

    public static NoticeDelivery Delivery(string? name, ValidationErrors errors)
    {
        if (name is null || string.Equals(name, DeliveryName(NoticeDelivery.Digest), StringComparison.Ordinal))
        {
            return NoticeDelivery.Digest;
        }

        if (string.Equals(name, DeliveryName(NoticeDelivery.PerItem), StringComparison.Ordinal))
        {
            return NoticeDelivery.PerItem;
        }

        errors.Add("delivery", "Use \"digest\" (one email listing every item that reaches a reminder together) or \"perItem\" (one email per item).");
        return NoticeDelivery.Digest;
    }

    /// <summary>The scenarios turned off; a mandatory one turned off, an unknown or a supplier's is a field error.</summary>
    private static List<Scenario> Scenarios(Library library, IReadOnlyDictionary<string, bool>? switches, string field, ValidationErrors errors)
    {
        var off = new List<Scenario>();
        foreach (var (name, on) in switches ?? new Dictionary<string, bool>())
        {
            if (!MandatoryScenarios.TryParse(name, out var scenario))
            {
                errors.Add($"{field}.{name}", "Unknown scenario: use a scenario key from GET /api/scenarios; escalation (every level) is \"escalation\".");
            }
            else if (!MandatoryScenarios.PatronFacing.Contains(scenario))
            {
                errors.Add($"{field}.{name}", "This notice is not about a patron; it has no patron preference.");
            }
            else if (!on && MandatoryScenarios.IsMandatory(library, scenario))
            {
                errors.Add($"{field}.{name}", "The library makes this notice mandatory: it cannot be turned off.");
            }
            else if (!on)
            {
                off.Add(scenario);
            }
        }

        return [.. off.Distinct().Order()];
    }
}
