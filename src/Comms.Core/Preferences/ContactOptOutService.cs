using Comms.Common;
using Comms.Libraries;
using Comms.Scenarios;

namespace Comms.Preferences;

/// <summary>What the library system sets for one contact address: the scenarios off for every patron it is a contact of.</summary>
public sealed record ContactOptOutInput
{
    /// <summary>Optional in the JSON so that leaving it out is a 400 by the field, not a body error.</summary>
    public IReadOnlyList<string?>? OffForAllPatrons { get; init; }
}

/// <summary>What GET answers for one contact address: the scenarios off for every patron, and who changed them.</summary>
public sealed record ContactOptOutView(string Email, IReadOnlyList<string> OffForAllPatrons, IReadOnlyList<PreferenceChange> Audit);

/// <summary>
/// The library reads and clears a contact address's choice made from a household, class or summary email
/// (<see cref="ContactOptOutStore"/>). Library-scoped: the row is in the library's partition, found by the address's hash.
/// </summary>
public sealed class ContactOptOutService(ContactOptOutStore store, LibraryStore libraries)
{
    public async Task<ContactOptOutView> GetAsync(string libraryId, string? address, CancellationToken cancellationToken = default)
    {
        await LibraryAsync(libraryId, cancellationToken);
        var normal = Address(address);
        return View(normal, await store.GetAsync(libraryId, UnsubscribeLinks.AddressHash(normal), cancellationToken));
    }

    /// <summary>Replaces the list (an empty list clears it); every name is checked before anything is written.</summary>
    public async Task<ContactOptOutView> SetAsync(string libraryId, string? address, ContactOptOutInput? input, string by, CancellationToken cancellationToken = default)
    {
        var library = await LibraryAsync(libraryId, cancellationToken);
        var normal = Address(address);
        var errors = new ValidationErrors();
        var wanted = new List<Scenario>();
        if (input?.OffForAllPatrons is not { } names)
        {
            errors.Add("offForAllPatrons", "Give the list of notices this address turned off for all patrons ([] to clear it).");
        }
        else if (names.Count > MandatoryScenarios.PatronFacing.Count)
        {
            errors.Add("offForAllPatrons", $"Give at most {MandatoryScenarios.PatronFacing.Count} notices.");
        }
        else
        {
            for (var i = 0; i < names.Count; i++)
            {
                var field = $"offForAllPatrons[{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}]";
                if (!MandatoryScenarios.TryParse(names[i], out var scenario) || !MandatoryScenarios.PatronFacing.Contains(scenario))
                {
                    errors.Add(field, "Unknown notice.");
                }
                else if (!MandatoryScenarios.MayTurnOff(library, scenario))
                {
                    errors.Add(field, "The library makes this notice mandatory; it cannot be turned off.");
                }
                else
                {
                    wanted.Add(scenario);
                }
            }
        }

        errors.ThrowIfAny();
        var saved = await store.ChangeAsync(libraryId, UnsubscribeLinks.AddressHash(normal), _ => wanted, by, cancellationToken);
        return View(normal, saved);
    }

    /// <summary>Every contact self-service link sent to this address stops working (a shared or lost inbox); audited.</summary>
    public async Task RevokeLinksAsync(string libraryId, string? address, string by, CancellationToken cancellationToken = default)
    {
        await LibraryAsync(libraryId, cancellationToken);
        await store.RevokeLinksAsync(libraryId, UnsubscribeLinks.AddressHash(Address(address)), by, cancellationToken);
    }

    private static ContactOptOutView View(string address, ContactOptOut row) =>
        new(address, [.. row.Off.Select(MandatoryScenarios.Name)], row.Audit);

    private static string Address(string? address)
    {
        if (!EmailAddress.TryNormalize(address, out var normal))
        {
            var errors = new ValidationErrors();
            errors.Add("address", "Give a valid email address.");
            errors.ThrowIfAny();
        }

        return normal;
    }

    private async Task<Library> LibraryAsync(string libraryId, CancellationToken cancellationToken) =>
        await libraries.GetAsync(libraryId, cancellationToken) ?? throw new NotFoundException($"Library '{libraryId}' was not found.");
}
