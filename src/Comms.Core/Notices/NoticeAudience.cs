using Comms.Common;
using Comms.Contacts;
using Comms.Delivery;
using Comms.Libraries;
using Comms.Scenarios;

namespace Comms.Notices;

/// <summary>
/// Who a notice is for, in which language, and — when the library's rules say so — why nobody gets it; a recipient
/// who turned this scenario off carries its own <c>OptedOut</c> reason (logged <c>Skipped</c>, the others still get it).
/// </summary>
public sealed record NoticeAudience(
    IReadOnlyList<(NoticeRecipient Recipient, string? Language, string? OptedOut)> Recipients,
    Patron? Patron,
    Supplier? Supplier,
    string? SkipReason);

/// <summary>
/// Applies a library's rules for a scenario: the roles that receive it, the patron groups excluded from it,
/// the patron's "no notices" switch, and, for a password reset, the patron's own contact only.
/// </summary>
public sealed class NoticeAudienceResolver(PatronStore patrons, SupplierStore suppliers, Preferences.ContactOptOutStore contactOptOuts)
{
    public async Task<NoticeAudience> ResolveAsync(Library library, NoticeRequest request, CancellationToken cancellationToken)
    {
        var settings = library.SettingsFor(request.Scenario.Scenario);
        if (request.Scenario.Scenario == Scenario.SupplierOrder)
        {
            return await ForSupplierAsync(library, request, settings, cancellationToken);
        }

        if (request.ContactDigest is { } digest)
        {
            return await ForContactAsync(library, request.Scenario.Scenario, digest, settings, cancellationToken);
        }

        var patron = request.PatronId is null ? null : await patrons.GetAsync(library.Id, request.PatronId, cancellationToken);
        if (patron is null)
        {
            var unknown = new NoticeRecipient(request.PatronId ?? "(no patron)", null, null, request.PatronId);
            return new NoticeAudience([(unknown, null, null)], null, null, null);
        }

        var roles = request.Scenario.Scenario == Scenario.PasswordReset ? [ContactRole.Patron] : request.Roles ?? settings.Roles;
        var contacts = patron.Contacts.Where(c => c.Active && roles.Contains(c.Role)).ToList();
        if (request.OwnContactsOnly)
        {
            // Shared contacts with an address hear through their own email for the step (ContactDigests).
            var own = contacts.Where(c => c.Role == ContactRole.Patron || !EmailAddress.TryNormalize(c.Email, out _)).ToList();
            if (own.Count == 0 && contacts.Count > 0)
            {
                return new NoticeAudience([], patron, null, SkipReasonFor(settings, patron));
            }

            contacts = own;
        }

        // Preferences are read with the patron at the moment of sending, so a switch turned off today holds tonight.
        var prefs = patron.Preferences;
        var optedOut = OptedOutReason(library, request.Scenario.Scenario);
        var offForAll = await OffForAllPatronsAsync(library, request.Scenario.Scenario, contacts, cancellationToken);
        IReadOnlyList<(NoticeRecipient, string?, string?)> recipients = contacts.Count == 0
            ? [(new NoticeRecipient(patron.Name, null, ContactRole.Patron, patron.Id, patron.Phone, patron.PostalAddress, patron.Branch), prefs.LanguageFor(null, patron.PreferredLanguage),
                prefs.TurnsOff(ContactRole.Patron, null, request.Scenario.Scenario) ? optedOut : null)]
            : [.. contacts.Select(c => (new NoticeRecipient(c.Name, c.Email, c.Role, patron.Id, c.Phone ?? (c.Role == ContactRole.Patron ? patron.Phone : null),
                c.PostalAddress ?? (c.Role == ContactRole.Patron ? patron.PostalAddress : null), patron.Branch), prefs.LanguageFor(c.Email, patron.PreferredLanguage),
                prefs.TurnsOff(c.Role, c.Email, request.Scenario.Scenario) || (c.Role != ContactRole.Patron && KeyOf(c.Email) is { } key && offForAll.Contains(key)) ? optedOut : null))];

        return new NoticeAudience(recipients, patron, null, SkipReasonFor(settings, patron));
    }

    /// <summary>
    /// One reader, the contact; the patrons were chosen (and the per-patron rules applied) when the digest was claimed.
    /// The address's own choice for every patron (ContactOptOuts) is read now, one point read, so a click holds at
    /// the next send.
    /// </summary>
    private async Task<NoticeAudience> ForContactAsync(
        Library library, Scenario scenario, ContactDigestFact digest, ScenarioSettings settings, CancellationToken cancellationToken)
    {
        var only = digest.Patrons.Count == 1 ? digest.Patrons[0] : null;
        var recipient = new NoticeRecipient(digest.Name, digest.Email, digest.Role, only?.PatronId);
        var patron = only is null ? null : new Patron { Id = only.PatronId, Name = only.Name, Group = only.Group };
        var optedOut = digest.OptedOut;
        if (optedOut is null && digest.Role != ContactRole.Patron && Preferences.MandatoryScenarios.MayTurnOff(library, scenario)
            && (await contactOptOuts.GetAsync(library.Id, Preferences.UnsubscribeLinks.AddressHash(digest.Email), cancellationToken)).TurnsOff(library, scenario))
        {
            optedOut = OptedOutForAllReason(scenario);
        }

        return new NoticeAudience([(recipient, digest.Language, optedOut)], patron, null, settings.Enabled ? null : "The library has turned this scenario off.");
    }

    /// <summary>
    /// The contact addresses (never the patron's own) that turned this scenario off for every patron: one point read
    /// per distinct address of this notice, none when the scenario is mandatory.
    /// </summary>
    private async Task<HashSet<string>> OffForAllPatronsAsync(Library library, Scenario scenario, IReadOnlyList<Contact> contacts, CancellationToken cancellationToken)
    {
        var off = new HashSet<string>(StringComparer.Ordinal);
        if (!Preferences.MandatoryScenarios.MayTurnOff(library, scenario))
        {
            return off;
        }

        // The reads go together (a patron has a handful of contacts): one round trip of latency, not one per address.
        var addresses = contacts.Where(c => c.Role != ContactRole.Patron).Select(c => KeyOf(c.Email)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var choices = await Task.WhenAll(addresses.Select(a => contactOptOuts.GetAsync(library.Id, Preferences.UnsubscribeLinks.AddressHash(a), cancellationToken)));
        off.UnionWith(addresses.Where((_, i) => choices[i].TurnsOff(library, scenario)));

        return off;
    }

    private static string? KeyOf(string? email) => EmailAddress.TryNormalize(email, out var normal) ? EmailAddress.Key(normal) : null;

    private static string OptedOutForAllReason(Scenario scenario) =>
        $"The contact turned off {Preferences.MandatoryScenarios.Name(scenario)} notices for all patrons (preferences).";

    private async Task<NoticeAudience> ForSupplierAsync(Library library, NoticeRequest request, ScenarioSettings settings, CancellationToken cancellationToken)
    {
        var supplier = request.SupplierId is null ? null : await suppliers.GetAsync(library.Id, request.SupplierId, cancellationToken);
        if (supplier is null || supplier.OrderEmails.Count == 0)
        {
            var unknown = new NoticeRecipient(supplier?.Name ?? request.SupplierId ?? "(no supplier)", null);
            return new NoticeAudience([(unknown, null, null)], null, supplier, null);
        }

        var recipients = supplier.OrderEmails.Select(e => (new NoticeRecipient(supplier.Name, e), (string?)null, (string?)null)).ToList();
        return new NoticeAudience(recipients, null, supplier, settings.Enabled ? null : "The library has turned this scenario off.");
    }

    /// <summary>
    /// Why a recipient who turned the scenario off gets nothing; null when the library makes it mandatory, so a
    /// choice stored before the library made it mandatory never stops it.
    /// </summary>
    public static string? OptedOutReason(Library library, Scenario scenario) =>
        Preferences.MandatoryScenarios.MayTurnOff(library, scenario)
            ? $"The recipient turned off {Preferences.MandatoryScenarios.Name(scenario)} notices (preferences)."
            : null;

    /// <summary>Whether a shared contact (parent, teacher, head of school) turned this scenario off for this patron.</summary>
    public static bool ContactOptedOut(Library library, Scenario scenario, Patron patron, ContactRole role, string address) =>
        Preferences.MandatoryScenarios.MayTurnOff(library, scenario) && patron.Preferences.TurnsOff(role, address, scenario);

    public static string? SkipReasonFor(ScenarioSettings settings, Patron patron)
    {
        if (!settings.Enabled)
        {
            return "The library has turned this scenario off.";
        }

        if (patron.NoNotices)
        {
            return "The patron receives no notices" + (patron.NoNoticesReason is { } why ? $" ({why})." : ".");
        }

        if (patron.Group is { } group && settings.ExcludedPatronGroups.Contains(group, StringComparer.OrdinalIgnoreCase))
        {
            return $"Patron group '{group}' is excluded from this scenario.";
        }

        return null;
    }
}
