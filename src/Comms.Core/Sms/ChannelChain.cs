using Comms.Common;
using Comms.Delivery;
using Comms.Libraries;
using Comms.Preferences;
using Comms.Print;
using Comms.Scenarios;

namespace Comms.Sms;

/// <summary>
/// A library's fallback chain for a scenario: email first, then the channels a reader the email could not reach moves to.
/// By default a mandatory notice (overdue, escalation, recall, declared lost) goes on to SMS and then to print, so it
/// reaches every reader somehow; an optional one stops at email (docs/channels.md).
/// </summary>
public static class ChannelChain
{
    public static IReadOnlyList<NoticeChannel> For(Library library, Scenario scenario) =>
        library.SettingsFor(scenario).Channels ?? Default(library, scenario);

    public static IReadOnlyList<NoticeChannel> Default(Library library, Scenario scenario) =>
        MandatoryScenarios.IsMandatory(library, scenario) && SmsTemplates.Has(scenario)
            ? PrintTemplates.Has(scenario) ? [NoticeChannel.Email, NoticeChannel.Sms, NoticeChannel.Print] : [NoticeChannel.Email, NoticeChannel.Sms]
            : [NoticeChannel.Email];

    public static bool FallsBackToSms(Library library, Scenario scenario) => For(library, scenario).Contains(NoticeChannel.Sms);

    public static bool FallsBackToPrint(Library library, Scenario scenario) => For(library, scenario).Contains(NoticeChannel.Print);

    public static void Validate(Scenario scenario, IReadOnlyList<NoticeChannel>? channels, string field, ValidationErrors errors)
    {
        if (channels is null)
        {
            return;
        }

        if (channels.Count == 0 || channels[0] != NoticeChannel.Email)
        {
            errors.Add(field, "The chain starts with email: [\"email\"], [\"email\", \"sms\"], [\"email\", \"print\"] or [\"email\", \"sms\", \"print\"].");
        }

        if (channels.Any(c => !Enum.IsDefined(c)) || channels.Distinct().Count() != channels.Count)
        {
            errors.Add(field, "Each channel (email, sms, print) may be listed once.");
        }

        if (channels.Contains(NoticeChannel.Print) && channels[^1] != NoticeChannel.Print)
        {
            errors.Add(field, "Print is the last resort: it comes last in the chain.");
        }

        if (channels.Contains(NoticeChannel.Sms) && !SmsTemplates.Has(scenario))
        {
            errors.Add(field, $"'{ScenarioKey.Kebab(scenario)}' has no SMS text; SMS is offered for: {string.Join(", ", SmsTemplates.Scenarios.Select(ScenarioKey.Kebab))}.");
        }

        if (channels.Contains(NoticeChannel.Print) && !PrintTemplates.Has(scenario))
        {
            errors.Add(field, $"'{ScenarioKey.Kebab(scenario)}' has no print text; print is offered for: {string.Join(", ", PrintTemplates.Scenarios.Select(ScenarioKey.Kebab))}.");
        }
    }
}
