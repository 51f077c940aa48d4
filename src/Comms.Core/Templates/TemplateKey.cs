using Comms.Contacts;
using Comms.Scenarios;

namespace Comms.Templates;

/// <summary>
/// What a template is used by: a scenario key ("overdue", "escalation-2") for the patron's own email, or a
/// ladder step with a contact shape ("overdue:class") for the one email a shared contact gets per step.
/// </summary>
public readonly record struct TemplateKey(ScenarioKey Scenario, ContactShape? Shape = null)
{
    public override string ToString() => Shape is { } shape ? $"{Scenario}:{ContactShapes.Name(shape)}" : Scenario.ToString();

    /// <summary>Only the ladder steps (pre-overdue, overdue, escalation-k) have contact shapes: they are the steps contacts hear about together.</summary>
    public static bool HasShapes(Scenario scenario) => scenario is Scenarios.Scenario.PreOverdue or Scenarios.Scenario.Overdue or Scenarios.Scenario.Escalation;

    public static bool TryParse(string? value, out TemplateKey key)
    {
        key = default;
        if (value is null)
        {
            return false;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            var parsed = ScenarioKey.TryParse(value, out var plain);
            key = new TemplateKey(plain);
            return parsed;
        }

        if (ScenarioKey.TryParse(value[..colon], out var scenario) && HasShapes(scenario.Scenario)
            && ContactShapes.TryParse(value[(colon + 1)..], out var shape))
        {
            key = new TemplateKey(scenario, shape);
            return true;
        }

        return false;
    }
}
