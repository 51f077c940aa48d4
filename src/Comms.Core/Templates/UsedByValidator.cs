using Comms.Common;
using Comms.Libraries;
using Comms.Scenarios;

namespace Comms.Templates;

/// <summary>The scenarios a template is used by: known keys (a ladder step may name a contact shape), each once, escalation levels the library has.</summary>
internal static class UsedByValidator
{
    public static List<TemplateKey> Parse(IReadOnlyList<string>? usedBy, Library library, ValidationErrors errors)
    {
        var keys = new List<TemplateKey>();
        if (usedBy is null || usedBy.Count == 0 || usedBy.Count > TemplateService.MaxUsedBy)
        {
            errors.Add("usedBy", $"List 1 to {TemplateService.MaxUsedBy} scenario keys, for example [\"overdue\"].");
            return keys;
        }

        var levels = library.Timing.EscalationDaysAfterDue.Count;
        for (var i = 0; i < usedBy.Count; i++)
        {
            var field = $"usedBy[{i}]";
            if (!TemplateKey.TryParse(usedBy[i], out var key))
            {
                errors.Add(field, $"'{usedBy[i]}' is not a scenario key (or a ladder step with a contact shape, 'overdue:class'); GET /api/scenarios lists them.");
            }
            else if (key.Scenario.Scenario == Scenario.Escalation && key.Scenario.Level > levels)
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
