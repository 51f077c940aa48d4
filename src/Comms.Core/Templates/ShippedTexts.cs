using System.Collections.Frozen;
using Comms.Scenarios;

namespace Comms.Templates;

/// <summary>
/// The shipped plain texts of one kind (SMS, print) per scenario, embedded in this assembly as
/// "{resourcePrefix}.{scenario}.{extension}.mustache" and read once. Both kinds are offered for the same scenarios:
/// the mandatory circulation notices and reservation ready, never a password reset.
/// </summary>
public sealed class ShippedTexts(string resourcePrefix, string extension, string kind)
{
    private static readonly Scenario[] Offered = [Scenario.Overdue, Scenario.Escalation, Scenario.Recall, Scenario.ReservationReady, Scenario.DeclaredLost];

    private readonly FrozenDictionary<Scenario, string> _texts = Offered.ToFrozenDictionary(s => s, s => Load(resourcePrefix, extension, kind, s));

    public IEnumerable<Scenario> Scenarios => _texts.Keys;

    public bool Has(Scenario scenario) => _texts.ContainsKey(scenario);

    public string For(Scenario scenario) =>
        _texts.TryGetValue(scenario, out var text) ? text : throw new KeyNotFoundException($"No {kind} template for '{ScenarioKey.Kebab(scenario)}'.");

    private static string Load(string resourcePrefix, string extension, string kind, Scenario scenario)
    {
        var name = $"{resourcePrefix}.{ScenarioKey.Kebab(scenario)}.{extension}.mustache";
        using var stream = typeof(ShippedTexts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The {kind} template resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
