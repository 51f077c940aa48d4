using Comms.Circulation;
using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Notices;
using Comms.Outbox;
using Comms.Scenarios;
using Comms.Storage;

namespace Comms.Accounts;

/// <summary>
/// The welcome notice for a new member, queued in the outbox when the library system says the patron registered.
/// Keyed on the patron and the day it was asked for, so a double post answers the same notice and sends one email.
/// </summary>
public sealed class WelcomeNotices(PatronStore patrons, LibraryStore libraries, NoticeOutbox outbox, TimeProvider time)
{
    public async Task<QueuedNotice> QueueAsync(string libraryId, string patronId, CancellationToken cancellationToken = default)
    {
        var library = await libraries.GetAsync(libraryId, cancellationToken) ?? throw new NotFoundException($"Library '{libraryId}' does not exist.");
        _ = (TableKeys.IsValidId(patronId) ? await patrons.GetAsync(libraryId, patronId, cancellationToken) : null)
            ?? throw new NotFoundException($"Patron '{patronId}' does not exist in library '{libraryId}'. Add the patron (PUT /api/libraries/{libraryId}/patrons/{patronId}) first.");
        return await outbox.EnqueueAsync(new NoticeRequest
        {
            LibraryId = libraryId,
            Scenario = new ScenarioKey(Scenario.Welcome),
            SubjectRecordId = "welcome",
            ScheduledFor = LibraryTime.LocalDate(time.GetUtcNow(), LibraryTime.Zone(library.TimeZone)),
            PatronId = patronId,
        }, cancellationToken);
    }
}
