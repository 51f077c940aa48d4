namespace Comms.Contacts;

/// <summary>
/// The one email a contact shared by many patrons gets per ladder step: a family hears about each child, a
/// teacher gets a class list, a head of school a summary (docs/circulation.md, "Contacts of many patrons").
/// </summary>
public enum ContactShape
{
    Household,
    Class,
    Summary,
}

public static class ContactShapes
{
    /// <summary>The shape a role's digest takes; null for the patron's own contact, whose email stays personal.</summary>
    public static ContactShape? Of(ContactRole role) => role switch
    {
        ContactRole.Parent or ContactRole.Guardian or ContactRole.Carer => ContactShape.Household,
        ContactRole.Teacher => ContactShape.Class,
        ContactRole.HeadOfSchool => ContactShape.Summary,
        _ => null,
    };

    /// <summary>"household", "class", "summary": the suffix of a template key ("overdue:class").</summary>
    public static string Name(ContactShape shape) => shape.ToString().ToLowerInvariant();

    public static bool TryParse(string? value, out ContactShape shape)
    {
        foreach (var candidate in Enum.GetValues<ContactShape>())
        {
            if (string.Equals(value, Name(candidate), StringComparison.Ordinal))
            {
                shape = candidate;
                return true;
            }
        }

        shape = default;
        return false;
    }
}
