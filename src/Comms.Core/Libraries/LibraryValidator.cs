using System.Globalization;
using Comms.Common;
using Comms.Contacts;
using Comms.Scenarios;
using Comms.Storage;

namespace Comms.Libraries;

/// <summary>Every rule a library's settings must meet, reported per field.</summary>
public static class LibraryValidator
{
    public static readonly string[] KnownProviders = ["Ses", "Acs", "Smtp", "Pickup"];

    public static void Validate(Library library, ValidationErrors errors)
    {
        if (!TableKeys.IsValidId(library.Id))
        {
            errors.Add("id", "Use 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        Text.Required(library.Name, "name", 200, errors);
        if (!IsKnownTimeZone(library.TimeZone))
        {
            errors.Add("timeZone", $"'{library.TimeZone}' is not a known IANA time zone (for example 'Europe/London').");
        }

        EmailAddress.Validate(library.FromAddress, "fromAddress", errors);
        Language.Validate(library.DefaultLanguage, "defaultLanguage", errors);
        ValidateProvider(library.Provider, "provider", errors);
        ValidateProvider(library.FailoverProvider, "failoverProvider", errors);
        if (library.FailoverProvider is not null && string.Equals(library.FailoverProvider, library.Provider, StringComparison.Ordinal))
        {
            errors.Add("failoverProvider", "The failover provider must differ from the provider.");
        }

        if (library.ClosedDates.Count > 1000)
        {
            errors.Add("closedDates", "At most 1000 closed dates.");
        }

        ValidateTiming(library.Timing, errors);
        if (library.Currency is not null && !(library.Currency.Length == 3 && library.Currency.All(char.IsAsciiLetterUpper)))
        {
            errors.Add("currency", "An ISO 4217 code in capitals, such as GBP or EUR.");
        }

        foreach (var (scenario, settings) in library.Scenarios)
        {
            ValidateScenario(scenario, settings, $"scenarios.{CommsJson.Options.PropertyNamingPolicy!.ConvertName(scenario.ToString())}", errors);
        }
    }

    public static bool IsKnownTimeZone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    private static void ValidateProvider(string? provider, string field, ValidationErrors errors)
    {
        if (provider is not null && !KnownProviders.Contains(provider, StringComparer.Ordinal))
        {
            errors.Add(field, $"Unknown provider '{provider}'. Use one of: {string.Join(", ", KnownProviders)}.");
        }
    }

    private static void ValidateTiming(NoticeTiming timing, ValidationErrors errors)
    {
        Range(timing.PreOverdueDaysBefore, 0, 60, "timing.preOverdueDaysBefore", errors);
        Range(timing.PreOverdueDaysBeforeMin, 1, 60, "timing.preOverdueDaysBeforeMin", errors);
        if (timing.PreOverdueDaysBeforeMax < timing.PreOverdueDaysBeforeMin || timing.PreOverdueDaysBeforeMax > 60)
        {
            errors.Add("timing.preOverdueDaysBeforeMax", $"From preOverdueDaysBeforeMin ({timing.PreOverdueDaysBeforeMin}) to 60.");
        }

        Range(timing.OverdueGraceDays, 0, 60, "timing.overdueGraceDays", errors);
        Range(timing.ReservationExpiringDaysBefore, 0, 60, "timing.reservationExpiringDaysBefore", errors);
        Range(timing.RecallReturnDays, 1, 60, "timing.recallReturnDays", errors);
        Range(timing.CardExpiryDaysBefore, 1, 365, "timing.cardExpiryDaysBefore", errors);
        var levels = timing.EscalationDaysAfterDue;
        if (levels.Count > ScenarioKey.MaxEscalationLevels)
        {
            errors.Add("timing.escalationDaysAfterDue", $"At most {ScenarioKey.MaxEscalationLevels} escalation levels.");
        }

        for (var i = 0; i < levels.Count; i++)
        {
            var field = $"timing.escalationDaysAfterDue[{i}]";
            if (levels[i] <= timing.OverdueGraceDays || levels[i] > 730)
            {
                errors.Add(field, $"Level {i + 1} must fall after the overdue notice (more than {timing.OverdueGraceDays} days after due) and within 730 days.");
            }
            else if (i > 0 && levels[i] <= levels[i - 1])
            {
                errors.Add(field, $"Level {i + 1} ({levels[i]} days) must come after level {i} ({levels[i - 1]} days).");
            }
        }

        // The declared-lost notice ends the ladder, so it falls after every other step.
        var lastStep = levels.Count > 0 ? levels.Max() : timing.OverdueGraceDays;
        if (timing.DeclaredLostDaysAfterDue != 0 && (timing.DeclaredLostDaysAfterDue <= lastStep || timing.DeclaredLostDaysAfterDue > 730))
        {
            errors.Add("timing.declaredLostDaysAfterDue", $"0 (no declared-lost notice), or more than {lastStep} days (after the last step of the ladder) and at most 730.");
        }
    }

    private static void ValidateScenario(Scenario scenario, ScenarioSettings settings, string field, ValidationErrors errors)
    {
        if (!Enum.IsDefined(scenario))
        {
            errors.Add(field, "Unknown scenario.");
            return;
        }

        if (settings.Enabled && settings.Roles.Count == 0 && scenario != Scenario.SupplierOrder)
        {
            errors.Add($"{field}.roles", "An enabled scenario needs at least one contact role.");
        }

        if (scenario == Scenario.PasswordReset && settings.Roles.Any(r => r != ContactRole.Patron))
        {
            errors.Add($"{field}.roles", "A password reset goes to the patron's own contact only.");
        }

        if (settings.Roles.Distinct().Count() != settings.Roles.Count)
        {
            errors.Add($"{field}.roles", "Each role may be listed once.");
        }

        Sms.ChannelChain.Validate(scenario, settings.Channels, $"{field}.channels", errors);

        for (var i = 0; i < settings.ExcludedPatronGroups.Count; i++)
        {
            Text.Required(settings.ExcludedPatronGroups[i], $"{field}.excludedPatronGroups[{i}]", 100, errors);
        }

        if (settings.ContactDigests is null)
        {
            errors.Add($"{field}.contactDigests", "Leave it out for the defaults, or give an object.");
            return;
        }

        Range(settings.ContactDigests.ClassListFromLevel, 0, ScenarioKey.MaxEscalationLevels, $"{field}.contactDigests.classListFromLevel", errors);
        Range(settings.ContactDigests.SummaryListFromLevel, 0, ScenarioKey.MaxEscalationLevels, $"{field}.contactDigests.summaryListFromLevel", errors);
        if (!Enum.IsDefined(settings.ContactDigests.SummaryWeekday))
        {
            errors.Add($"{field}.contactDigests.summaryWeekday", "A day of the week: monday to sunday.");
        }
    }

    private static void Range(int value, int min, int max, string field, ValidationErrors errors)
    {
        if (value < min || value > max)
        {
            errors.Add(field, $"Must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}.");
        }
    }
}
