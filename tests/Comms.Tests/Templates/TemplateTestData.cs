using Comms.Scenarios;
using Comms.Templates;

namespace Comms.Tests.Templates;

/// <summary>Scenario keys and small templates the template tests share.</summary>
public static class TemplateTestData
{
    public static readonly DateTimeOffset Now = new(2026, 3, 16, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Every scenario once, and escalation at three levels.</summary>
    public static TheoryData<string> AllScenarioKeys()
    {
        var data = new TheoryData<string>();
        foreach (var scenario in Enum.GetValues<Scenario>())
        {
            if (scenario == Scenario.Escalation)
            {
                for (var level = 1; level <= 3; level++)
                {
                    data.Add(new ScenarioKey(scenario, level).ToString());
                }
            }
            else
            {
                data.Add(new ScenarioKey(scenario).ToString());
            }
        }

        return data;
    }

    public static ScenarioKey Key(string key) =>
        ScenarioKey.TryParse(key, out var parsed) ? parsed : throw new ArgumentException($"Not a scenario key: {key}", nameof(key));

    public static TemplateContent Content(string subject = "Overdue: {{patron.name}}", string html = "<p>{{patron.name}}</p>", string text = "{{patron.name}}") =>
        new() { Subject = subject, Html = html, Text = text };

    public static TemplateModel OverdueModel(string patronName = "Alex Morgan") =>
        SampleReaders.Model(new ScenarioKey(Scenario.Overdue), Now) with { Patron = new PatronModel(patronName, "Year 7") };
}
