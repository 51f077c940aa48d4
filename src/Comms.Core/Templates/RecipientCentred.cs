using System.Globalization;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Notices;
using Comms.Scenarios;

namespace Comms.Templates;

/// <summary>
/// The recipient-centred part of a ladder step's model: every patron the email is about with their items, the
/// totals and the counts per class, and which shape the email has. A patron's own email lists that patron alone,
/// so one template can serve a reader with one patron and a contact with many.
/// </summary>
internal static class RecipientCentred
{
    public static TemplateModel Add(
        TemplateModel model, ScenarioKey key, Library library, PatronModel? patron, TemplateData data, ContactShape? shape, Func<LoanFacts, ItemModel> item, CultureInfo culture)
    {
        // A patron's own email is about that patron alone, whatever other patrons the data (a sample) carries.
        IReadOnlyList<PatronFacts> own = patron is null ? [] : [new PatronFacts { Name = patron.Name, Group = patron.Group, Items = data.Items ?? [] }];
        var patrons = shape is null ? own : data.Patrons ?? own;
        // A weekly summary names the patrons whose loans reached the listing level in the week.
        var lists = shape != ContactShape.Summary || (data.Levels is null ? SummaryLists(key, library) : patrons.Any(p => p.Listed));

        // A listing stops at what one email may carry; the totals and class counts still count everything.
        var listed = new List<PatronItemsModel>();
        var room = NoticeLimits.MaxItems;
        foreach (var p in lists ? patrons.Where(p => p.Listed) : [])
        {
            if (room == 0)
            {
                break;
            }

            var items = p.Items.Take(room).Select(item).ToList();
            room -= items.Count;
            listed.Add(new PatronItemsModel(p.Name, p.Group ?? string.Empty, items, Count(p.Items.Count, culture)));
        }

        var total = patrons.Sum(p => p.Items.Count);
        var classes = patrons
            .GroupBy(p => p.Group ?? string.Empty, StringComparer.CurrentCultureIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.Create(culture, ignoreCase: true))
            .Select(g => new ClassCountModel(g.Key, Count(g.Count(), culture), Count(g.Sum(p => p.Items.Count), culture)))
            .ToList();

        return model with
        {
            Patrons = listed,
            Totals = new TotalsModel(
                Count(patrons.Count, culture), Count(total, culture), Count(classes.Count, culture), Count(total - listed.Sum(p => p.Items.Count), culture)),
            Classes = classes,
            Digest = new DigestModel(shape is null, shape == ContactShape.Household, shape == ContactShape.Class, shape == ContactShape.Summary, lists)
            {
                Weekly = data.Levels is not null,
            },
            Levels = [.. (data.Levels ?? []).Select(l => Level(l, culture))],
            Step = new StepModel(
                key.Scenario == Scenario.PreOverdue, key.Scenario == Scenario.Overdue, key.Scenario == Scenario.Escalation, Math.Max(key.Level, 0).ToString(culture)),
        };
    }

    /// <summary>
    /// A head of school sees names only at the top of the ladder: from the library's listing level, by default its
    /// last escalation level (the overdue step when it has none). Below that, counts per class.
    /// </summary>
    internal static bool SummaryLists(ScenarioKey key, Library library)
    {
        var levels = library.Timing.EscalationDaysAfterDue.Count;
        var from = library.SettingsFor(key.Scenario).ContactDigests.SummaryListFromLevel;
        if (from == 0)
        {
            from = levels;
        }

        return from == 0 ? key.Scenario is Scenario.Overdue or Scenario.Escalation : key.Scenario == Scenario.Escalation && key.Level >= from;
    }

    private static LevelCountModel Level(LevelFacts level, CultureInfo culture)
    {
        ScenarioKey.TryParse(level.Step, out var step);
        return new LevelCountModel(
            level.Step, Math.Max(step.Level, 0).ToString(culture), step.Scenario == Scenario.PreOverdue, step.Scenario == Scenario.Overdue,
            step.Scenario == Scenario.Escalation, Count(level.Patrons, culture), Count(level.Items, culture));
    }

    private static string Count(int value, CultureInfo culture) => value.ToString("N0", culture);
}
