using Comms.Common;
using Comms.Delivery;
using Comms.Libraries;
using Comms.Storage;

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
public sealed class TestSendService(TemplatePreviewService previews, LibraryStore libraries, NoticeSender sender, TimeProvider clock)
{
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

        return await sender.SendAsync(new Notice
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
        }, cancellationToken);
    }
}
