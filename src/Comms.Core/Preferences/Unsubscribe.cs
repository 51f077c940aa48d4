using Comms.Contacts;
using Comms.Libraries;

namespace Comms.Preferences;

/// <summary>What the unsubscribe endpoint answers: the page to show and its status.</summary>
public enum UnsubscribeOutcome
{
    /// <summary>GET with a valid token: the confirm page (nothing changed).</summary>
    Confirm,

    /// <summary>POST with a valid token: the scenario is now off for this recipient.</summary>
    Done,

    /// <summary>Forged, altered, expired or unreadable token: 403, nothing changed.</summary>
    Refused,

    /// <summary>The library makes this scenario mandatory (it became so after the link was sent): nothing changed.</summary>
    Mandatory,

    /// <summary>The patron or the contact the link was for is gone: nothing to change.</summary>
    Gone,
}

/// <param name="Scenario">The notice the link is for; the page names it in the reader's words (<see cref="PreferenceTexts.Words"/>).</param>
/// <param name="Language">The reader's language (their choice, the library system's, else the library's), for the page's words.</param>
public sealed record UnsubscribeAnswer(UnsubscribeOutcome Outcome, string? LibraryName = null, Scenarios.Scenario? Scenario = null, string? Language = null);

/// <summary>
/// The one-click unsubscribe (RFC 8058): a signed link turns one optional scenario off for one recipient as a
/// preference — never the blacklist, so every other notice still reaches them. A GET only shows what a POST would do:
/// mail scanners fetch links, and a fetch must change nothing.
/// </summary>
public sealed class Unsubscribe(UnsubscribeLinks links, PreferenceService preferences, LibraryStore libraries, PatronStore patrons, ContactOptOutStore contactOptOuts)
{
    public const string AuditBy = "unsubscribe-link";

    public Task<UnsubscribeAnswer> PreviewAsync(string? token, CancellationToken cancellationToken = default) =>
        ResolveAsync(token, change: false, cancellationToken);

    public Task<UnsubscribeAnswer> ApplyAsync(string? token, CancellationToken cancellationToken = default) =>
        ResolveAsync(token, change: true, cancellationToken);

    private async Task<UnsubscribeAnswer> ResolveAsync(string? token, bool change, CancellationToken cancellationToken)
    {
        if (UnsubscribeLinks.IsContactToken(token))
        {
            return await ResolveContactAsync(token, change, cancellationToken);
        }

        if (links.Read(token) is not { } valid)
        {
            return new UnsubscribeAnswer(UnsubscribeOutcome.Refused);
        }

        var library = await libraries.GetAsync(valid.LibraryId, cancellationToken);
        if (library is null)
        {
            return new UnsubscribeAnswer(UnsubscribeOutcome.Gone);
        }

        var scenario = valid.Scenario;
        if (!MandatoryScenarios.MayTurnOff(library, valid.Scenario))
        {
            return new UnsubscribeAnswer(UnsubscribeOutcome.Mandatory, library.Name, scenario, library.DefaultLanguage);
        }

        var patron = Storage.TableKeys.IsValidId(valid.PatronId) ? await patrons.GetAsync(library.Id, valid.PatronId, cancellationToken) : null;
        var address = patron?.Contacts.Select(c => c.Email).FirstOrDefault(e => e is not null && UnsubscribeLinks.AddressHash(e) == valid.AddressHash);
        if (patron is null || address is null)
        {
            return new UnsubscribeAnswer(UnsubscribeOutcome.Gone, library.Name, scenario, library.DefaultLanguage);
        }

        var language = patron.Preferences.LanguageFor(address, patron.PreferredLanguage) ?? library.DefaultLanguage;
        if (!change)
        {
            return new UnsubscribeAnswer(UnsubscribeOutcome.Confirm, library.Name, scenario, language);
        }

        return await preferences.TurnOffAsync(library.Id, patron.Id, address, valid.Scenario, AuditBy, cancellationToken)
            ? new UnsubscribeAnswer(UnsubscribeOutcome.Done, library.Name, scenario, language)
            : new UnsubscribeAnswer(UnsubscribeOutcome.Mandatory, library.Name, scenario, language);
    }

    /// <summary>
    /// A contact email's link (household, class, summary): one point write to the address's row in ContactOptOuts,
    /// whatever the number of patrons it is a contact of. The same pages and answers as a patron's link.
    /// </summary>
    private async Task<UnsubscribeAnswer> ResolveContactAsync(string? token, bool change, CancellationToken cancellationToken)
    {
        if (links.ReadContact(token) is not { } valid)
        {
            return new UnsubscribeAnswer(UnsubscribeOutcome.Refused);
        }

        var library = await libraries.GetAsync(valid.LibraryId, cancellationToken);
        if (library is null)
        {
            return new UnsubscribeAnswer(UnsubscribeOutcome.Gone);
        }

        var scenario = valid.Scenario;
        // The row has no address, so no language of its own: the library's.
        var answer = new UnsubscribeAnswer(UnsubscribeOutcome.Confirm, library.Name, scenario, library.DefaultLanguage);
        if (!MandatoryScenarios.MayTurnOff(library, valid.Scenario))
        {
            return answer with { Outcome = UnsubscribeOutcome.Mandatory };
        }

        if (!change)
        {
            return answer;
        }

        await contactOptOuts.ChangeAsync(library.Id, valid.AddressHash, off => [.. off, valid.Scenario], AuditBy, cancellationToken);
        return answer with { Outcome = UnsubscribeOutcome.Done };
    }
}
