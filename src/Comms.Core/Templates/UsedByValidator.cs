using Comms.Common;
using Comms.Libraries;
using Comms.Scenarios;

namespace Comms.Templates;

/// <summary>The scenarios a template is used by: known keys, each once, escalation levels the library has.</summary>
internal static class UsedByValidator
{
    public static List<ScenarioKey> Parse(IReadOnlyList<string>? usedBy, Library library, ValidationErrors errors)
    {
        var keys = new List<ScenarioKey>();
        if (usedBy is null || usedBy.Count == 0 || usedBy.Count > TemplateService.MaxUsedBy)
        {
            errors.Add("usedBy", $"List 1 to {TemplateService.MaxUsedBy} scenario keys, for example [\"overdue\"].");
            return keys;
        }

        var levels = library.Timing.EscalationDaysAfterDue.Count;
        for (var i = 0; i < usedBy.Count; i++)
        {
            var field = $"usedBy[{i}]";
            if (!ScenarioKey.TryParse(usedBy[i], out var key))
            {
                errors.Add(field, $"'{usedBy[i]}' is not a scenario key; GET /api/scenarios lists them.");
            }
            else if (key.Scenario == Scenario.Escalation && key.Level > levels)
            {
                errors.Add(field, $"This library has {levels} escalation levels; '{usedBy[i]}' is never sent.");
            }
            else if (keys.Contains(key))
            {
                errors.Add(field, $"'{usedBy[i]}' is listed twice.");
            }
            else
            {
                keys.Add(key);
            }
        }

        return keys;
    }
}
