using Comms.Libraries;
using Comms.Scenarios;

namespace Comms.Preferences;

/// <summary>
/// The self-service page of a contact address, behind the signed footer link (m2) of a household, class or
/// head-of-school email that lists several patrons: the address sees which notices it gets as a contact of this
/// library's patrons and turns off the optional ones, for all of them at once (its ContactOptOuts row, the same switch
/// as the email's one-click link). The token names no patron and the page shows none: the reader learns nothing about
/// anyone beyond what their emails already told them, and a forwarded link reveals no child's name. One point read to
/// show, one conditional point write to save, whatever the number of patrons.
/// </summary>
public sealed class ContactSelfService(UnsubscribeLinks links, LibraryStore libraries, ContactOptOutStore optOuts)
{
    /// <summary>
    /// The notices an address may get as a contact: every one about a patron but the password reset, which only ever
    /// goes to the patron's own address (a switch for it would be a promise about mail the contact never receives).
    /// </summary>
    public static IReadOnlyList<Scenario> ContactFacing { get; } = [.. MandatoryScenarios.PatronFacing.Where(s => s != Scenario.PasswordReset)];

    public async Task<SelfServiceView> ShowAsync(string? token, CancellationToken cancellationToken = default)
    {
        var (outcome, library, valid, row) = await OpenAsync(token, cancellationToken);
        return outcome is SelfServiceOutcome.Shown ? View(outcome, library!, valid!, row!) : new SelfServiceView(outcome);
    }

    /// <summary>Every optional notice not in <paramref name="on"/> is off for this address as a contact; mandatory ones stay on.</summary>
    public async Task<SelfServiceView> SaveAsync(string? token, IReadOnlyCollection<string> on, CancellationToken cancellationToken = default)
    {
        var (outcome, library, valid, _) = await OpenAsync(token, cancellationToken);
        if (outcome is not SelfServiceOutcome.Shown)
        {
            return new SelfServiceView(outcome);
        }

        var off = ContactFacing
            .Where(s => MandatoryScenarios.MayTurnOff(library!, s) && !on.Contains(MandatoryScenarios.Name(s), StringComparer.Ordinal))
            .ToList();
        var saved = await optOuts.ChangeAsync(library!.Id, valid!.AddressHash, _ => off, SelfService.AuditBy, cancellationToken);
        return View(SelfServiceOutcome.Saved, library, valid, saved);
    }

    private async Task<(SelfServiceOutcome, Library?, ContactManageToken?, ContactOptOut?)> OpenAsync(string? token, CancellationToken cancellationToken)
    {
        if (links.ReadContactManage(token) is not { } valid)
        {
            return (SelfServiceOutcome.Refused, null, null, null);
        }

        if (await libraries.GetAsync(valid.LibraryId, cancellationToken) is not { } library)
        {
            return (SelfServiceOutcome.Gone, null, null, null);
        }

        var row = await optOuts.GetAsync(library.Id, valid.AddressHash, cancellationToken);
        return row.LinksRevokedAt is { } revoked && valid.IssuedAt <= revoked
            ? (SelfServiceOutcome.Refused, null, null, null)
            : (SelfServiceOutcome.Shown, library, valid, row);
    }

    // The language is the one the email was written for (the token's); the row has no reader to ask.
    private static SelfServiceView View(SelfServiceOutcome outcome, Library library, ContactManageToken token, ContactOptOut row)
    {
        var language = token.Language ?? library.DefaultLanguage;
        return new SelfServiceView(outcome, library.Name, language, ReaderName: null, SelfService.Switches(library, ContactFacing, row.Off, language))
        {
            LibraryId = library.Id,
            ForContactAddress = true,
        };
    }
}
