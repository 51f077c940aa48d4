using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;

namespace Comms.Preferences;

/// <summary>
/// The patron's own "days before due" for the pre-overdue (courtesy) reminder, Koha's "days in advance": chosen
/// within the library's range (<see cref="NoticeTiming.PreOverdueDaysBeforeMin"/>-<see cref="NoticeTiming.PreOverdueDaysBeforeMax"/>),
/// else the library's <see cref="NoticeTiming.PreOverdueDaysBefore"/>.
/// </summary>
public static class CourtesyDays
{
    public const string Field = "preOverdueDaysBefore";

    public static CourtesyDaysRange Range(Library library) =>
        new(library.Timing.PreOverdueDaysBeforeMin, Math.Max(library.Timing.PreOverdueDaysBeforeMin, library.Timing.PreOverdueDaysBeforeMax), library.Timing.PreOverdueDaysBefore);

    /// <summary>
    /// The days the ladder uses for this patron. A stored choice outside a range the library has since narrowed is
    /// brought inside it; a library that sends no reminder (0 days) sends none whatever the patron chose.
    /// </summary>
    public static int For(Library library, Patron? patron)
    {
        var range = Range(library);
        return range.Default == 0 || patron?.Preferences.PreOverdueDaysBefore is not { } chosen ? range.Default : Math.Clamp(chosen, range.Min, range.Max);
    }

    public static void Validate(Library library, int? days, string field, ValidationErrors errors)
    {
        var range = Range(library);
        if (days is null)
        {
            return;
        }

        if (range.Default == 0)
        {
            errors.Add(field, "The library sends no pre-overdue reminder, so there is no day to choose; leave it out.");
        }
        else if (days < range.Min || days > range.Max)
        {
            errors.Add(field, $"The library allows {range.Min} to {range.Max} days before the due date.");
        }
    }
}
