using System.Globalization;

namespace Comms.Scenarios;

/// <summary>
/// A scenario with its escalation level: "overdue", "escalation-2". The string form is what templates are
/// "used by", what the email log records and what ids are derived from, so it never changes.
/// </summary>
public readonly record struct ScenarioKey(Scenario Scenario, int Level = 0)
{
    public override string ToString()
    {
        var name = Kebab(Scenario);
        return Scenario == Scenario.Escalation ? $"{name}-{Level.ToString(CultureInfo.InvariantCulture)}" : name;
    }

    public static bool TryParse(string? value, out ScenarioKey key)
    {
        key = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        foreach (var scenario in Enum.GetValues<Scenario>())
        {
            var name = Kebab(scenario);
            if (scenario == Scenario.Escalation)
            {
                if (value.StartsWith(name + "-", StringComparison.Ordinal)
                    && int.TryParse(value.AsSpan(name.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var level)
                    && level is >= 1 and <= MaxEscalationLevels)
                {
                    key = new ScenarioKey(scenario, level);
                    return true;
                }
            }
            else if (string.Equals(value, name, StringComparison.Ordinal))
            {
                key = new ScenarioKey(scenario);
                return true;
            }
        }

        return false;
    }

    public const int MaxEscalationLevels = 10;

    public static string Kebab(Scenario scenario)
    {
        var text = scenario.ToString();
        var chars = new List<char>(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsUpper(text[i]) && i > 0)
            {
                chars.Add('-');
            }

            chars.Add(char.ToLowerInvariant(text[i]));
        }

        return new string([.. chars]);
    }
}
