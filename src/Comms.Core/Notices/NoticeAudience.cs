using Comms.Common;
using Comms.Contacts;
using Comms.Delivery;
using Comms.Libraries;
using Comms.Scenarios;

namespace Comms.Notices;

/// <summary>Who a notice is for, in which language, and — when the library's rules say so — why nobody gets it.</summary>
public sealed record NoticeAudience(
    IReadOnlyList<(NoticeRecipient Recipient, string? Language)> Recipients,
    Patron? Patron,
    Supplier? Supplier,
    string? SkipReason);

/// <summary>
/// Applies a library's rules for a scenario: the roles that receive it, the patron groups excluded from it,
/// the patron's "no notices" switch, and, for a password reset, the patron's own contact only.
/// </summary>
public sealed class NoticeAudienceResolver(PatronStore patrons, SupplierStore suppliers)
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
            return ForContact(digest, settings);
        }

        var patron = request.PatronId is null ? null : await patrons.GetAsync(library.Id, request.PatronId, cancellationToken);
        if (patron is null)
        {
            var unknown = new NoticeRecipient(request.PatronId ?? "(no patron)", null, null, request.PatronId);
            return new NoticeAudience([(unknown, null)], null, null, null);
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

        IReadOnlyList<(NoticeRecipient, string?)> recipients = contacts.Count == 0
            ? [(new NoticeRecipient(patron.Name, null, ContactRole.Patron, patron.Id), patron.PreferredLanguage)]
            : [.. contacts.Select(c => (new NoticeRecipient(c.Name, c.Email, c.Role, patron.Id), patron.PreferredLanguage))];

        return new NoticeAudience(recipients, patron, null, SkipReasonFor(settings, patron));
    }

    /// <summary>One reader, the contact; the patrons were chosen (and the per-patron rules applied) when the digest was claimed.</summary>
    private static NoticeAudience ForContact(ContactDigestFact digest, ScenarioSettings settings)
    {
        var only = digest.Patrons.Count == 1 ? digest.Patrons[0] : null;
        var recipient = new NoticeRecipient(digest.Name, digest.Email, digest.Role, only?.PatronId);
        var patron = only is null ? null : new Patron { Id = only.PatronId, Name = only.Name, Group = only.Group };
        return new NoticeAudience([(recipient, digest.Language)], patron, null, settings.Enabled ? null : "The library has turned this scenario off.");
    }

    private async Task<NoticeAudience> ForSupplierAsync(Library library, NoticeRequest request, ScenarioSettings settings, CancellationToken cancellationToken)
    {
        var supplier = request.SupplierId is null ? null : await suppliers.GetAsync(library.Id, request.SupplierId, cancellationToken);
        if (supplier is null || supplier.OrderEmails.Count == 0)
        {
            var unknown = new NoticeRecipient(supplier?.Name ?? request.SupplierId ?? "(no supplier)", null);
            return new NoticeAudience([(unknown, null)], null, supplier, null);
        }

        var recipients = supplier.OrderEmails.Select(e => (new NoticeRecipient(supplier.Name, e), (string?)null)).ToList();
        return new NoticeAudience(recipients, null, supplier, settings.Enabled ? null : "The library has turned this scenario off.");
    }

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
