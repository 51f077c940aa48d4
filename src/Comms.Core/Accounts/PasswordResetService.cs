using System.Security.Cryptography;
using System.Text;
using Comms.Common;
using Comms.Contacts;
using Comms.Notices;
using Comms.Scenarios;
using Comms.Storage;
using Comms.Libraries;

namespace Comms.Accounts;

/// <summary>
/// Queues a reset email to the patron's own contact, throttled per patron. The outbox keeps the link encrypted and
/// sends it only while it has <see cref="Outbox.OutboxOptions.MinLinkValidity"/> left; after that it is logged expired.
/// </summary>
public sealed class PasswordResetService(
    PatronService patrons,
    LibraryService libraries,
    PasswordResetThrottle throttle,
    Outbox.NoticeOutbox outbox,
    TimeProvider clock)
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7);

    public async Task<Outbox.QueuedNotice> SendAsync(string libraryId, PasswordResetRequest request, CancellationToken cancellationToken = default)
    {
        var link = Validate(request);
        var library = await libraries.GetAsync(libraryId, cancellationToken);
        await patrons.GetAsync(libraryId, request.PatronId, cancellationToken);
        await throttle.AcquireAsync(libraryId, request.PatronId, cancellationToken);

        return await outbox.EnqueueAsync(new NoticeRequest
        {
            LibraryId = libraryId,
            Scenario = new ScenarioKey(Scenario.PasswordReset),
            // The same link posted twice is the same notice; the id never reveals the link.
            SubjectRecordId = "reset-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(link.AbsoluteUri)))[..24],
            ScheduledFor = LibraryClock.Today(library, clock.GetUtcNow()),
            PatronId = request.PatronId,
            PasswordReset = new PasswordResetFact(link, request.ExpiresAt),
        }, cancellationToken);
    }

    private Uri Validate(PasswordResetRequest request)
    {
        var errors = new ValidationErrors();
        if (!TableKeys.IsValidId(request.PatronId))
        {
            errors.Add("patronId", "Use 1-100 letters, digits, '.', '_' or '-'.");
        }

        Uri? link = null;
        if (request.ResetLink.Length > 2000 || request.ResetLink.Any(char.IsControl)
            || !Uri.TryCreate(request.ResetLink, UriKind.Absolute, out link)
            || !(link.Scheme == Uri.UriSchemeHttps || (link.Scheme == Uri.UriSchemeHttp && link.IsLoopback)))
        {
            errors.Add("resetLink", "Give an absolute https link of at most 2000 characters.");
        }

        var now = clock.GetUtcNow();
        if (request.ExpiresAt <= now || request.ExpiresAt > now + MaxLifetime)
        {
            errors.Add("expiresAt", "Must be in the future and at most 7 days ahead.");
        }

        errors.ThrowIfAny();
        return link!;
    }
}
