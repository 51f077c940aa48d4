using Comms.Common;
using Comms.Delivery;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Storage;
using Microsoft.Extensions.Options;

namespace Comms.Templates;

/// <summary>What to test-send: the same choice as a preview, to one address.</summary>
public sealed record TestSendRequest
{
    public required string To { get; init; }

    /// <summary>Optional idempotency key: a repeated request with the same id sends nothing new.</summary>
    public string? RequestId { get; init; }

    public required PreviewRequest Template { get; init; }
}

/// <summary>
/// Sends exactly what the preview shows to one address, through the library's real provider and the normal
/// pipeline (blacklist, ledger, email log), marked as a test so reports can leave it out.
/// </summary>
/// <remarks>
/// Deliberately inside the request, not through the outbox: a staff member at the editor waits for "did it go?",
/// and the message is a draft that may be edited a minute later, so a test send delivered after an outage would
/// show stale content and answer a question nobody is still asking. What a production caller needs instead is a
/// quick, clear answer: at most <see cref="TestSendAttempts"/> tries per provider and
/// <see cref="EmailOptions.TestSendTimeoutSeconds"/> in all, then 503 (try again) or 502 (refused).
/// </remarks>
public sealed class TestSendService(TemplatePreviewService previews, LibraryStore libraries, NoticeSender sender, IOptions<EmailOptions> options, TimeProvider clock)
{
    /// <summary>One retry for a blip; anything longer is the provider's problem to report, not the editor's to wait out.</summary>
    public const int TestSendAttempts = 2;

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    public async Task<NoticeResult> SendAsync(string libraryId, TestSendRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        EmailAddress.Validate(request.To, "to", errors);
        if (request.RequestId is not null && !TableKeys.IsValidId(request.RequestId))
        {
            errors.Add("requestId", "Use 1-100 letters, digits, '.', '_' or '-'.");
        }

        errors.ThrowIfAny();
        var preview = await previews.RenderAsync(libraryId, request.Template, cancellationToken);
        var library = (await libraries.GetAsync(libraryId, cancellationToken))!;
        if (!Scenarios.ScenarioKey.TryParse(preview.Scenario, out var key))
        {
            throw new InvalidOperationException($"Preview returned an unknown scenario '{preview.Scenario}'.");
        }

        var notice = new Notice
        {
            LibraryId = libraryId,
            Scenario = key,
            SubjectRecordId = "test-" + (request.RequestId ?? Guid.NewGuid().ToString("N")),
            ScheduledFor = LibraryClock.Today(library, clock.GetUtcNow()),
            Recipients = [new NoticeRecipient("Test recipient", request.To)],
            Content = preview.Email,
            TemplateId = preview.TemplateId,
            TemplateVersion = preview.Version,
            IsTest = true,
            MaxProviderAttempts = TestSendAttempts,
        };

        var timeout = TimeSpan.FromSeconds(options.Value.TestSendTimeoutSeconds);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        NoticeResult result;
        try
        {
            result = await sender.SendAsync(notice, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The provider may have taken it just before the deadline: say so rather than claim nothing went.
            throw new EmailProviderException(
                $"The email provider did not answer within {timeout.TotalSeconds:0} s. The test message may still arrive; check the inbox before sending it again.", RetryAfter);
        }

        var outcome = result.Recipients.Single();
        if (outcome.Status == EmailStatus.Failed || (result.RetryLater && outcome.Status != EmailStatus.Sent))
        {
            // The reason is the provider's, with any address taken out; the email log row keeps the full attempt.
            var reason = Redaction.Redact(outcome.Reason) ?? "no reason given";
            throw result.RetryLater
                ? new EmailProviderException($"The email provider did not take the test message ({reason}); nothing was sent. Try again shortly.", RetryAfter)
                : new EmailProviderException($"The email provider refused the test message ({reason}); nothing was sent.", null);
        }

        return result;
    }
}
