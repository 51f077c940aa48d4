using Comms.Scenarios;

namespace Comms.Preferences;

/// <summary>
/// The engine's own words around preferences — the footer it adds to every notice, the unsubscribe page and the
/// self-service page — per language. Templates carry the notice's words; these are the few the engine writes itself.
/// English (the shipped default templates' language, <see cref="Templates.DefaultTemplates.Language"/>), French, Spanish
/// and German (<see cref="PreferenceTranslations"/>); a reader whose language has no set reads English, and the page's
/// <c>lang</c> says so.
/// Placeholders: {0} the library's name, {1} the notice's title (<see cref="Words"/>) or the reader's name (both HTML-encoded by the caller where it writes HTML).
/// </summary>
public sealed record PreferenceTexts
{
    public required string FooterUnsubscribeQuestion { get; init; }
    public required string FooterUnsubscribe { get; init; }
    public required string FooterPreferences { get; init; }

    public required string UnsubscribeConfirmTitle { get; init; }
    public required string UnsubscribeConfirm { get; init; }
    public required string UnsubscribeButton { get; init; }
    public required string UnsubscribedTitle { get; init; }
    public required string Unsubscribed { get; init; }
    public required string MandatoryTitle { get; init; }
    public required string Mandatory { get; init; }
    public required string GoneTitle { get; init; }
    public required string Gone { get; init; }
    public required string RefusedTitle { get; init; }
    public required string UnsubscribeRefused { get; init; }
    public required string ManageRefused { get; init; }

    public required string ManageTitle { get; init; }
    public required string ManageHello { get; init; }
    public required string ManageLegend { get; init; }
    public required string ManageAlwaysSent { get; init; }
    public required string ManageSaved { get; init; }
    public required string ManageInvalid { get; init; }
    public required string ManageSave { get; init; }
    public required string DaysLabel { get; init; }
    public required string DaysHint { get; init; }
    public required string DaysNotANumber { get; init; }
    public required string DeliveryLegend { get; init; }
    public required string DeliveryDigest { get; init; }
    public required string DeliveryPerItem { get; init; }
    public required string LanguageLabel { get; init; }
    public required string LanguageHint { get; init; }
    public required string LanguageLibrarys { get; init; }

    /// <summary>The contact self-service page's introduction: no reader's name ({0} the library), no patron listed.</summary>
    public required string ContactManageHello { get; init; }

    /// <summary>Every scenario's title and description in this language (<see cref="ScenarioWordTranslations"/>).</summary>
    public required IReadOnlyDictionary<Scenario, ScenarioWords> Scenarios { get; init; }

    /// <summary>The scenario's words in this language; the catalogue's English should a set ever lack one.</summary>
    public ScenarioWords Words(Scenario scenario) =>
        Scenarios.TryGetValue(scenario, out var words) ? words : ScenarioWordTranslations.English[scenario];

    public static readonly PreferenceTexts English = new()
    {
        FooterUnsubscribeQuestion = "Do not want these emails?",
        FooterUnsubscribe = "Unsubscribe",
        FooterPreferences = "Your email preferences",
        UnsubscribeConfirmTitle = "Unsubscribe?",
        UnsubscribeConfirm = "Stop receiving <strong>{1}</strong> emails from {0} at this address? Other notices, such as overdue items, still come.",
        UnsubscribeButton = "Unsubscribe",
        UnsubscribedTitle = "Unsubscribed",
        Unsubscribed = "You will no longer receive <strong>{1}</strong> emails from {0} at this address.",
        MandatoryTitle = "Cannot unsubscribe",
        Mandatory = "{0} must send <strong>{1}</strong> notices; they cannot be turned off. Please contact the library.",
        GoneTitle = "Nothing to change",
        Gone = "This link is for an address or an account the library no longer holds. Nothing was changed.",
        RefusedTitle = "Link not valid",
        UnsubscribeRefused = "This unsubscribe link is not valid or has expired. Nothing was changed. Use the link in a recent email, or contact the library.",
        ManageRefused = "This link is not valid, has expired or was withdrawn. Open the link in your most recent email from the library.",
        ManageTitle = "{0}: your email preferences",
        ManageHello = "Hello {1}. Choose which emails {0} sends you at this address.",
        ManageLegend = "Emails from {0}",
        ManageAlwaysSent = "The library always sends this.",
        ManageSaved = "Your choices are saved.",
        ManageInvalid = "Nothing was saved: please correct the choice marked below.",
        ManageSave = "Save my choices",
        DaysLabel = "Days before the due date for the reminder",
        DaysHint = "How many days before an item is due the \"due soon\" reminder comes: {0} to {1}.",
        DaysNotANumber = "Choose a number of days.",
        DeliveryLegend = "When several items reach a reminder on the same day",
        DeliveryDigest = "One email listing them all",
        DeliveryPerItem = "One email per item",
        LanguageLabel = "Language of these emails",
        LanguageHint = "Emails and this page come in this language where the library writes in it.",
        LanguageLibrarys = "The library's choice",
        ContactManageHello = "Choose which emails {0} sends to this address about the readers you are a contact for (as a parent, teacher or head of school). These choices apply to all of them; your own notices as a reader, if any, have their own link.",
        Scenarios = ScenarioWordTranslations.English,
    };

    /// <summary>Every language with a set, by its BCP 47 tag; English is the fallback.</summary>
    public static readonly IReadOnlyDictionary<string, PreferenceTexts> Catalogue =
        new Dictionary<string, PreferenceTexts>(StringComparer.OrdinalIgnoreCase)
        {
            [Templates.DefaultTemplates.Language] = English,
            ["fr"] = PreferenceTranslations.French,
            ["es"] = PreferenceTranslations.Spanish,
            ["de"] = PreferenceTranslations.German,
        };

    /// <summary>
    /// The set for a reader's language: the tag itself ("cy-GB"), then its language ("cy"), then English; with the tag
    /// of the set chosen, for the page's <c>lang</c> (a page in English says "en", whatever the reader asked for).
    /// </summary>
    public static (string Language, PreferenceTexts Texts) For(string? language)
    {
        foreach (var tag in Candidates(language))
        {
            if (Catalogue.TryGetValue(tag, out var texts))
            {
                return (Catalogue.Keys.First(k => string.Equals(k, tag, StringComparison.OrdinalIgnoreCase)), texts);
            }
        }

        return (Templates.DefaultTemplates.Language, English);
    }

    private static IEnumerable<string> Candidates(string? language)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            yield break;
        }

        yield return language;
        var dash = language.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            yield return language[..dash];
        }
    }
}
