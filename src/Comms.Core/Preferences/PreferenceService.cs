using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Scenarios;
using Comms.Storage;

namespace Comms.Preferences;

/// <summary>A saved PUT: the answer, and whether the courtesy days changed (the patron's loans must re-plan).</summary>
public sealed record SavedPreferences(PreferencesView View, bool CourtesyDaysChanged);

/// <summary>A saved bulk set: how many patrons, and those whose courtesy days changed.</summary>
public sealed record BulkSaved(int Updated, IReadOnlyList<string> CourtesyDaysChanged);

/// <summary>
/// Reads and changes patrons' preferences: the library system's API, bulk, and a patron's own unsubscribe. Every
/// change that changes something is audited on the patron (who, when, what). Mandatory scenarios stay on whatever
/// the route: the validator refuses them and <see cref="TurnOffAsync"/> will not turn them off.
/// </summary>
public sealed class PreferenceService(PatronStore patrons, LibraryStore libraries, ContactOptOutStore contactOptOuts, TimeProvider clock)
{
    public const int MaxBulkItems = 1000;
    private const int MaxWriteAttempts = 8;

    public async Task<PreferencesView> GetAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
    {
        var library = await LibraryAsync(libraryId, cancellationToken);
        var patron = await PatronAsync(libraryId, patronId, cancellationToken);
        return await WithOffForAllAsync(libraryId, View(library, patron.Patron), cancellationToken);
    }

    /// <summary>Each contact's choice for every patron (ContactOptOuts): one point read per contact address, bounded by the patron's contacts.</summary>
    private async Task<PreferencesView> WithOffForAllAsync(string libraryId, PreferencesView view, CancellationToken cancellationToken)
    {
        var contacts = new List<ContactPreferencesView>(view.Contacts.Count);
        foreach (var contact in view.Contacts)
        {
            if (contact.Role == "patron")
            {
                contacts.Add(contact); // the patron's own address is never a contact of other patrons
                continue;
            }

            var row = await contactOptOuts.GetAsync(libraryId, UnsubscribeLinks.AddressHash(contact.Email), cancellationToken);
            contacts.Add(contact with { OffForAllPatrons = [.. row.Off.Select(MandatoryScenarios.Name)] });
        }

        return view with { Contacts = contacts };
    }

    public async Task<SavedPreferences> SetAsync(string libraryId, string patronId, PreferencesInput input, string by, CancellationToken cancellationToken = default)
    {
        var library = await LibraryAsync(libraryId, cancellationToken);
        var (patron, before) = await ChangeAsync(libraryId, patronId, by, patron =>
        {
            var errors = new ValidationErrors();
            var wanted = PreferenceValidator.Validate(library, patron, input, errors);
            errors.ThrowIfAny();
            return wanted! with { LinksRevokedAt = patron.Preferences.LinksRevokedAt }; // a PUT never un-revokes links
        }, cancellationToken);
        return new SavedPreferences(await WithOffForAllAsync(libraryId, View(library, patron), cancellationToken), CourtesyDaysChanged(before, patron));
    }

    /// <summary>
    /// Validates every item first (fields named <c>items[3].scenarios.recall</c>); writes only when all are valid.
    /// Answers how many were set and which patrons' courtesy days changed (their loans' ladders must re-plan).
    /// </summary>
    public async Task<BulkSaved> SetManyAsync(string libraryId, PreferencesBulkInput input, string by, CancellationToken cancellationToken = default)
    {
        var library = await LibraryAsync(libraryId, cancellationToken);
        var items = input.Items ?? [];
        var errors = new ValidationErrors();
        if (items.Count is 0 or > MaxBulkItems)
        {
            errors.Add("items", $"Give 1-{MaxBulkItems} patrons' preferences.");
            errors.ThrowIfAny();
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        // Read in slices: a thousand reads at once would only queue up on the storage account's connections.
        var found = new List<Patron?>(items.Count);
        foreach (var slice in items.Chunk(32))
        {
            found.AddRange(await Task.WhenAll(slice.Select(async item =>
                item?.PatronId is { } id && TableKeys.IsValidId(id) ? await patrons.GetAsync(libraryId, id, cancellationToken) : null)));
        }

        for (var i = 0; i < items.Count; i++)
        {
            var field = $"items[{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}]";
            if (found[i] is not { } patron)
            {
                errors.Add($"{field}.patronId", "Unknown patron.");
                continue;
            }

            if (!seen.Add(patron.Id))
            {
                errors.Add($"{field}.patronId", "This patron appears more than once.");
            }

            var itemErrors = new ValidationErrors();
            PreferenceValidator.Validate(library, patron, items[i], itemErrors);
            errors.AddRange(field, itemErrors);
        }

        errors.ThrowIfAny("The preferences were rejected; nothing was written. Fix every listed item and send them again.");
        var replan = new List<string>();
        foreach (var batch in items.Chunk(16))
        {
            var saved = await Task.WhenAll(batch.Select(item => ChangeAsync(libraryId, item.PatronId!, by, patron =>
            {
                // Validated above; a patron changed since (a contact removed) is checked again, and refused alone.
                var again = new ValidationErrors();
                var wanted = PreferenceValidator.Validate(library, patron, item, again);
                again.ThrowIfAny();
                return wanted! with { LinksRevokedAt = patron.Preferences.LinksRevokedAt }; // a PUT never un-revokes links
            }, cancellationToken)));
            replan.AddRange(saved.Where(x => CourtesyDaysChanged(x.Before, x.Patron)).Select(x => x.Patron.Id));
        }

        return new BulkSaved(items.Count, replan);
    }

    /// <summary>
    /// Turns one scenario off for one recipient (the one-click unsubscribe): for the patron's own address the
    /// patron's switch, for another contact that contact's. False when the scenario is mandatory (nothing changes).
    /// </summary>
    public async Task<bool> TurnOffAsync(string libraryId, string patronId, string address, Scenario scenario, string by, CancellationToken cancellationToken = default)
    {
        var library = await LibraryAsync(libraryId, cancellationToken);
        if (!MandatoryScenarios.MayTurnOff(library, scenario))
        {
            return false;
        }

        await ChangeAsync(libraryId, patronId, by, patron => Off(patron, address, scenario), cancellationToken);
        return true;
    }

    /// <summary>
    /// A recipient's own choice from the self-service page: which optional scenarios are off for this address (the
    /// patron's switches for the patron's own address, the contact's for a contact). Mandatory ones are never stored.
    /// </summary>
    /// <param name="courtesyDays">The patron's own address only (a contact has no ladder of its own): the days before due, already validated.</param>
    /// <param name="delivery">The patron's own address only: digest or one email per item.</param>
    /// <param name="language">This address's language (the patron's for their own address, the contact's for a contact); null: unchanged.</param>
    public async Task<(Patron Patron, bool CourtesyDaysChanged)> SetOwnSwitchesAsync(
        string libraryId, string patronId, string address, IReadOnlyCollection<Scenario> off, string by, int? courtesyDays = null, NoticeDelivery? delivery = null,
        LanguageChoice? language = null, CancellationToken cancellationToken = default)
    {
        var library = await LibraryAsync(libraryId, cancellationToken);
        var allowed = off.Where(s => MandatoryScenarios.MayTurnOff(library, s)).ToList();
        var (patron, before) = await ChangeAsync(libraryId, patronId, by, patron =>
        {
            var switched = WithOwnSwitches(patron, address, current => allowed, language);
            if (!IsOwnAddress(patron, address))
            {
                return switched; // The patron's ladder choices are the patron's own.
            }

            return switched with { PreOverdueDaysBefore = courtesyDays ?? switched.PreOverdueDaysBefore, Delivery = delivery ?? switched.Delivery };
        }, cancellationToken);
        return (patron, CourtesyDaysChanged(before, patron));
    }

    private static bool CourtesyDaysChanged(PatronPreferences before, Patron after) => before.PreOverdueDaysBefore != after.Preferences.PreOverdueDaysBefore;

    /// <summary>Every self-service link sent so far stops working; the next notice carries a fresh one.</summary>
    public async Task RevokeLinksAsync(string libraryId, string patronId, string by, CancellationToken cancellationToken = default)
    {
        await LibraryAsync(libraryId, cancellationToken);
        await ChangeAsync(libraryId, patronId, by, patron => patron.Preferences with { LinksRevokedAt = clock.GetUtcNow() }, cancellationToken);
    }

    /// <summary>Whether <paramref name="address"/> is the patron's own (its choices are the patron's switches).</summary>
    public static bool IsOwnAddress(Patron patron, string address) =>
        patron.Contacts.Any(c => c.Role == ContactRole.Patron && SameAddress(c.Email, address)) || patron.Contacts.All(c => !SameAddress(c.Email, address));

    /// <summary>The scenarios this address has turned off.</summary>
    public static IReadOnlyList<Scenario> OwnSwitches(Patron patron, string address) =>
        IsOwnAddress(patron, address) ? patron.Preferences.Off : patron.Preferences.ContactFor(address)?.Off ?? [];

    private static PatronPreferences Off(Patron patron, string address, Scenario scenario) =>
        WithOwnSwitches(patron, address, current => current.Append(scenario));

    private static PatronPreferences WithOwnSwitches(
        Patron patron, string address, Func<IReadOnlyList<Scenario>, IEnumerable<Scenario>> change, LanguageChoice? language = null)
    {
        var current = patron.Preferences;
        if (IsOwnAddress(patron, address))
        {
            return current with { Off = [.. change(current.Off).Distinct().Order()], Language = language is null ? current.Language : language.Language };
        }

        EmailAddress.TryNormalize(address, out var normal);
        var contact = current.ContactFor(normal) ?? new ContactPreferences { Email = normal };
        var updated = contact with { Off = [.. change(contact.Off).Distinct().Order()], Language = language is null ? contact.Language : language.Language };
        return current with { Contacts = [.. current.Contacts.Where(c => !SameAddress(c.Email, normal)), updated] };
    }

    private static bool SameAddress(string? a, string? b) =>
        EmailAddress.TryNormalize(a, out var x) && EmailAddress.TryNormalize(b, out var y) && EmailAddress.Key(x) == EmailAddress.Key(y);

    /// <summary>Read, decide, write if the row is unchanged since the read (else again): no change is lost to another.</summary>
    private async Task<(Patron Patron, PatronPreferences Before)> ChangeAsync(string libraryId, string patronId, string by, Func<Patron, PatronPreferences> decide, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (patron, etag) = await PatronAsync(libraryId, patronId, cancellationToken);
            var wanted = decide(patron);
            var changes = PreferenceChanges.Between(patron.Preferences, wanted);
            if (changes.Count == 0)
            {
                return (patron, patron.Preferences);
            }

            var now = clock.GetUtcNow();
            var stored = wanted with
            {
                UpdatedAt = now,
                Audit = [new PreferenceChange(now, by, changes), .. patron.Preferences.Audit.Take(PatronPreferences.MaxAudit - 1)],
            };
            if (await patrons.TryWritePreferencesAsync(libraryId, patronId, stored, etag, cancellationToken))
            {
                return (patron with { Preferences = stored }, patron.Preferences);
            }

            if (attempt == MaxWriteAttempts)
            {
                throw new ConflictException("The patron's preferences kept changing while being saved; try again.");
            }
        }
    }

    private async Task<(Patron Patron, Azure.ETag ETag)> PatronAsync(string libraryId, string patronId, CancellationToken cancellationToken) =>
        (TableKeys.IsValidId(patronId) ? await patrons.GetWithETagAsync(libraryId, patronId, cancellationToken) : null)
        ?? throw new NotFoundException($"Patron '{patronId}' was not found.");

    private async Task<Library> LibraryAsync(string libraryId, CancellationToken cancellationToken) =>
        await libraries.GetAsync(libraryId, cancellationToken) ?? throw new NotFoundException($"Library '{libraryId}' was not found.");

    public static PreferencesView View(Library library, Patron patron)
    {
        var prefs = patron.Preferences;
        var contacts = patron.Contacts
            .Where(c => EmailAddress.TryNormalize(c.Email, out _))
            .Select(c =>
            {
                var chosen = prefs.ContactFor(c.Email);
                return new ContactPreferencesView(c.Email!, Templates.TemplateModelBuilder.Role(c.Role), c.Name, chosen?.Language, Switches(chosen?.Off ?? []));
            })
            .ToList();
        return new PreferencesView(
            patron.Id,
            prefs.Language,
            prefs.PreOverdueDaysBefore,
            CourtesyDays.Range(library),
            prefs.Delivery,
            Switches(prefs.Off),
            [.. MandatoryScenarios.PatronFacing.Where(s => MandatoryScenarios.IsMandatory(library, s)).Select(MandatoryScenarios.Name)],
            contacts,
            prefs.UpdatedAt,
            prefs.Audit);
    }

    private static Dictionary<string, bool> Switches(IReadOnlyList<Scenario> off) =>
        MandatoryScenarios.PatronFacing.ToDictionary(MandatoryScenarios.Name, s => !off.Contains(s), StringComparer.Ordinal);
}
