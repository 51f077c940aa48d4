using Comms.Common;
using Comms.Scenarios;

namespace Comms.Preferences;

/// <summary>What an audit row says changed, in words a librarian reads: "pre-overdue off", "language fr".</summary>
public static class PreferenceChanges
{
    public static IReadOnlyList<string> Between(PatronPreferences before, PatronPreferences after)
    {
        var changes = new List<string>();
        if (!string.Equals(before.Language, after.Language, StringComparison.Ordinal))
        {
            changes.Add($"language {after.Language ?? "(library system's)"}");
        }

        if (before.PreOverdueDaysBefore != after.PreOverdueDaysBefore)
        {
            changes.Add($"pre-overdue days before {after.PreOverdueDaysBefore?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(library's)"}");
        }

        if (before.Delivery != after.Delivery)
        {
            changes.Add($"delivery {PreferenceValidator.DeliveryName(after.Delivery)}");
        }

        if (before.LinksRevokedAt != after.LinksRevokedAt)
        {
            changes.Add("self-service links revoked");
        }

        changes.AddRange(Switches(before.Off, after.Off, string.Empty));
        var addresses = before.Contacts.Select(c => c.Email).Concat(after.Contacts.Select(c => c.Email))
            .Select(EmailAddress.Key).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var address in addresses)
        {
            var was = before.ContactFor(address);
            var now = after.ContactFor(address);
            if (!string.Equals(was?.Language, now?.Language, StringComparison.Ordinal))
            {
                changes.Add($"contact {address}: language {now?.Language ?? "(patron's)"}");
            }

            changes.AddRange(Switches(was?.Off ?? [], now?.Off ?? [], $"contact {address}: "));
        }

        return changes;
    }

    private static IEnumerable<string> Switches(IReadOnlyList<Scenario> before, IReadOnlyList<Scenario> after, string prefix) =>
        after.Except(before).Select(s => $"{prefix}{MandatoryScenarios.Name(s)} off")
            .Concat(before.Except(after).Select(s => $"{prefix}{MandatoryScenarios.Name(s)} on"));
}
