using Comms.Libraries;
using Comms.Scenarios;

namespace Comms.Preferences;

/// <summary>
/// Which notices a patron may turn off. A library marks scenarios mandatory (<see cref="ScenarioSettings.Mandatory"/>);
/// unmarked, the notices a library needs to reach the reader whatever they chose are mandatory: overdue, every
/// escalation level, recall, password reset and declared lost.
/// </summary>
public static class MandatoryScenarios
{
    public static readonly IReadOnlySet<Scenario> Defaults = new HashSet<Scenario>
    {
        Scenario.Overdue, Scenario.Escalation, Scenario.Recall, Scenario.PasswordReset, Scenario.DeclaredLost,
    };

    /// <summary>Notices about a patron; a supplier order is the library's business with a supplier, nobody's preference.</summary>
    public static IReadOnlyList<Scenario> PatronFacing { get; } = [.. Enum.GetValues<Scenario>().Where(s => s != Scenario.SupplierOrder)];

    public static bool IsMandatory(Library library, Scenario scenario) =>
        scenario == Scenario.PasswordReset // A reset the patron asked for always goes, whatever the library says.
        || (library.SettingsFor(scenario).Mandatory ?? Defaults.Contains(scenario));

    public static bool MayTurnOff(Library library, Scenario scenario) =>
        PatronFacing.Contains(scenario) && !IsMandatory(library, scenario);

    /// <summary>The public name of a scenario in preferences: "pre-overdue", "escalation" (all levels).</summary>
    public static string Name(Scenario scenario) => ScenarioKey.Kebab(scenario);

    public static bool TryParse(string? name, out Scenario scenario)
    {
        foreach (var candidate in Enum.GetValues<Scenario>())
        {
            if (string.Equals(Name(candidate), name, StringComparison.Ordinal))
            {
                scenario = candidate;
                return true;
            }
        }

        scenario = default;
        return false;
    }
}
