using Comms.Contacts;
using Comms.Libraries;

namespace Comms.Preferences;

/// <summary>One line of the self-service page: a notice, whether this reader gets it, whether they may turn it off.</summary>
public sealed record SelfServiceSwitch(string Name, string Title, string Description, bool On, bool Mandatory);

/// <summary>What the page shows a reader who opened a valid link; null fields when the link does not open it.</summary>
public sealed record SelfServiceView(SelfServiceOutcome Outcome, string? LibraryName = null, string? Language = null, string? ReaderName = null, IReadOnlyList<SelfServiceSwitch>? Switches = null)
{
    public string? LibraryId { get; init; }

    /// <summary>The courtesy days choice: only on the patron's own address, when the library sends the reminder.</summary>
    public SelfServiceCourtesyDays? CourtesyDays { get; init; }

    /// <summary>Digest or one email per item: only on the patron's own address (a contact's emails across patrons stay digests).</summary>
    public NoticeDelivery? Delivery { get; init; }

    /// <summary>This address's own language choice (null: the library's), and the languages the page offers.</summary>
    public string? LanguageChoice { get; init; }

    public IReadOnlyList<string> LanguageOptions { get; init; } = [];

    /// <summary>Field-level messages of a refused save (<see cref="SelfServiceOutcome.Invalid"/>): nothing was stored.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>
    /// The page of a contact address (parent, teacher, head of school) for every patron it is a contact of: it greets
    /// nobody by name and lists no patron (<see cref="ContactSelfService"/>).
    /// </summary>
    public bool ForContactAddress { get; init; }

    /// <summary>Set when this save changed the patron's courtesy days: the adapter re-plans that patron's loans.</summary>
    public string? ReplanPatronId { get; init; }
}

/// <summary>The reader's days before due for the pre-overdue reminder, and the library's range.</summary>
public sealed record SelfServiceCourtesyDays(int Days, int Min, int Max);

public enum SelfServiceOutcome
{
    Shown,
    Saved,

    /// <summary>Forged, altered, expired or revoked: 403, nothing shown or changed.</summary>
    Refused,

    /// <summary>The patron or this address is no longer the library's: nothing to show.</summary>
    Gone,

    /// <summary>A posted value the library does not allow: 400, the page again with the message by the field, nothing stored.</summary>
    Invalid,
}

/// <summary>
/// The patron self-service page behind the signed footer link of every notice: a reader sees which notices they get
/// and turns off the ones the library lets them. The link expires (<see cref="PreferenceOptions.ManageLinkLifetime"/>)
/// and the library can revoke every link of a patron at once; a link issued before the revocation is refused.
/// </summary>
public sealed class SelfService(UnsubscribeLinks links, PreferenceService preferences, LibraryStore libraries, PatronStore patrons)
{
    public const string AuditBy = "self-service-link";

    public async Task<SelfServiceView> ShowAsync(string? token, CancellationToken cancellationToken = default)
    {
        var (outcome, library, patron, address) = await OpenAsync(token, cancellationToken);
        return outcome is SelfServiceOutcome.Shown ? View(SelfServiceOutcome.Shown, library!, patron!, address!) : new SelfServiceView(outcome);
    }

    /// <summary>Saves the reader's choice: every optional notice not in <paramref name="on"/> is off; mandatory ones stay on.</summary>
    /// <param name="courtesyDays">The form's days before due (the patron's own address only; ignored for a contact's).</param>
    /// <param name="delivery">The form's "digest" or "perItem" (the patron's own address only; ignored for a contact's).</param>
    /// <param name="language">The form's language for this address: one the page offered, or empty for the library's choice; null: not posted.</param>
    public async Task<SelfServiceView> SaveAsync(
        string? token, IReadOnlyCollection<string> on, string? courtesyDays = null, string? delivery = null, string? language = null, CancellationToken cancellationToken = default)
    {
        var (outcome, library, patron, address) = await OpenAsync(token, cancellationToken);
        if (outcome is not SelfServiceOutcome.Shown)
        {
            return new SelfServiceView(outcome);
        }

        int? days = null;
        NoticeDelivery? mode = null;
        var shown = View(outcome, library!, patron!, address!);
        var errors = new Common.ValidationErrors();
        if (delivery is not null && shown.Delivery is not null)
        {
            mode = PreferenceValidator.Delivery(delivery, errors);
        }

        if (language is { Length: > 0 } && !shown.LanguageOptions.Contains(language, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add("language", "Choose one of the languages listed.");
        }

        if (courtesyDays is not null && shown.CourtesyDays is not null)
        {
            if (!int.TryParse(courtesyDays, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            {
                errors.Add(Preferences.CourtesyDays.Field, PreferenceTexts.For(shown.Language).Texts.DaysNotANumber);
            }
            else
            {
                Preferences.CourtesyDays.Validate(library!, parsed, Preferences.CourtesyDays.Field, errors);
                days = parsed;
            }
        }

        if (!errors.IsEmpty)
        {
            return shown with { Outcome = SelfServiceOutcome.Invalid, Errors = errors.ToDictionary() };
        }

        var off = MandatoryScenarios.PatronFacing
            .Where(s => MandatoryScenarios.MayTurnOff(library!, s) && !on.Contains(MandatoryScenarios.Name(s), StringComparer.Ordinal))
            .ToList();
        var chosenLanguage = language is null ? null : new LanguageChoice(language.Length == 0 ? null : shown.LanguageOptions.First(o => string.Equals(o, language, StringComparison.OrdinalIgnoreCase)));
        var (saved, replan) = await preferences.SetOwnSwitchesAsync(library!.Id, patron!.Id, address!, off, AuditBy, days, mode, chosenLanguage, cancellationToken);
        return View(SelfServiceOutcome.Saved, library, saved, address!) with { ReplanPatronId = replan ? saved.Id : null };
    }

    private async Task<(SelfServiceOutcome, Library?, Patron?, string?)> OpenAsync(string? token, CancellationToken cancellationToken)
    {
        if (links.ReadManage(token) is not { } valid)
        {
            return (SelfServiceOutcome.Refused, null, null, null);
        }

        var library = await libraries.GetAsync(valid.LibraryId, cancellationToken);
        var patron = library is null || !Storage.TableKeys.IsValidId(valid.PatronId) ? null : await patrons.GetAsync(library.Id, valid.PatronId, cancellationToken);
        if (patron?.Preferences.LinksRevokedAt is { } revoked && valid.IssuedAt <= revoked)
        {
            return (SelfServiceOutcome.Refused, null, null, null);
        }

        var address = patron?.Contacts.Select(c => c.Email).FirstOrDefault(e => e is not null && UnsubscribeLinks.AddressHash(e) == valid.AddressHash);
        return library is null || patron is null || address is null
            ? (SelfServiceOutcome.Gone, null, null, null)
            : (SelfServiceOutcome.Shown, library, patron, address);
    }

    private static SelfServiceView View(SelfServiceOutcome outcome, Library library, Patron patron, string address)
    {
        var off = PreferenceService.OwnSwitches(patron, address);
        var reader = patron.Contacts.FirstOrDefault(c => c.Email is not null && UnsubscribeLinks.AddressHash(c.Email) == UnsubscribeLinks.AddressHash(address))?.Name ?? patron.Name;
        var language = patron.Preferences.LanguageFor(address, patron.PreferredLanguage) ?? library.DefaultLanguage;
        var switches = Switches(library, MandatoryScenarios.PatronFacing, off, language);
        var own = PreferenceService.IsOwnAddress(patron, address) ? patron.Preferences.Language : patron.Preferences.ContactFor(address)?.Language;
        var range = Preferences.CourtesyDays.Range(library);
        var courtesy = range.Default > 0 && library.SettingsFor(Scenarios.Scenario.PreOverdue).Enabled && PreferenceService.IsOwnAddress(patron, address)
            ? new SelfServiceCourtesyDays(Preferences.CourtesyDays.For(library, patron), range.Min, range.Max)
            : null;
        return new SelfServiceView(outcome, library.Name, language, reader, switches)
        {
            LibraryId = library.Id,
            CourtesyDays = courtesy,
            Delivery = PreferenceService.IsOwnAddress(patron, address) ? patron.Preferences.Delivery : null,
            LanguageChoice = own,
            LanguageOptions = LanguageOptions(library, own),
        };
    }

    /// <summary>One line per notice, named in the reader's language; a mandatory one is on whatever was stored.</summary>
    internal static List<SelfServiceSwitch> Switches(
        Library library, IEnumerable<Scenarios.Scenario> scenarios, IReadOnlyCollection<Scenarios.Scenario> off, string? language)
    {
        var texts = PreferenceTexts.For(language).Texts;
        return [.. scenarios.Select(s =>
        {
            var words = texts.Words(s);
            var mandatory = MandatoryScenarios.IsMandatory(library, s);
            return new SelfServiceSwitch(MandatoryScenarios.Name(s), words.Title, words.Description, mandatory || !off.Contains(s), mandatory);
        })];
    }

    /// <summary>
    /// The languages a reader may pick here: the library's own, each the engine's page words exist in, and the current
    /// choice (set by the library system, perhaps one only its templates are written in).
    /// </summary>
    private static List<string> LanguageOptions(Library library, string? current) =>
        [.. new[] { library.DefaultLanguage }.Concat(PreferenceTexts.Catalogue.Keys).Concat(current is null ? [] : [current])
            .Distinct(StringComparer.OrdinalIgnoreCase)];
}

/// <summary>A language chosen on the page: <see cref="Language"/> null means "the library's choice" (the stored choice is cleared).</summary>
public sealed record LanguageChoice(string? Language);
