using Comms.Contacts;
using Comms.Libraries;
using Comms.Templates;

namespace Comms.Preferences;

/// <summary>One line of the self-service page: a notice, whether this reader gets it, whether they may turn it off.</summary>
public sealed record SelfServiceSwitch(string Name, string Title, string Description, bool On, bool Mandatory);

/// <summary>What the page shows a reader who opened a valid link; null fields when the link does not open it.</summary>
public sealed record SelfServiceView(SelfServiceOutcome Outcome, string? LibraryName = null, string? Language = null, string? ReaderName = null, IReadOnlyList<SelfServiceSwitch>? Switches = null);

public enum SelfServiceOutcome
{
    Shown,
    Saved,

    /// <summary>Forged, altered, expired or revoked: 403, nothing shown or changed.</summary>
    Refused,

    /// <summary>The patron or this address is no longer the library's: nothing to show.</summary>
    Gone,
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
    public async Task<SelfServiceView> SaveAsync(string? token, IReadOnlyCollection<string> on, CancellationToken cancellationToken = default)
    {
        var (outcome, library, patron, address) = await OpenAsync(token, cancellationToken);
        if (outcome is not SelfServiceOutcome.Shown)
        {
            return new SelfServiceView(outcome);
        }

        var off = MandatoryScenarios.PatronFacing
            .Where(s => MandatoryScenarios.MayTurnOff(library!, s) && !on.Contains(MandatoryScenarios.Name(s), StringComparer.Ordinal))
            .ToList();
        var saved = await preferences.SetOwnSwitchesAsync(library!.Id, patron!.Id, address!, off, AuditBy, cancellationToken);
        return View(SelfServiceOutcome.Saved, library, saved, address!);
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
        var switches = MandatoryScenarios.PatronFacing.Select(s =>
        {
            var definition = ScenarioCatalogue.Get(s);
            var mandatory = MandatoryScenarios.IsMandatory(library, s);
            return new SelfServiceSwitch(MandatoryScenarios.Name(s), definition.Title, definition.Description, mandatory || !off.Contains(s), mandatory);
        }).ToList();
        var language = patron.Preferences.LanguageFor(address, patron.PreferredLanguage) ?? library.DefaultLanguage;
        return new SelfServiceView(outcome, library.Name, language, reader, switches);
    }
}
