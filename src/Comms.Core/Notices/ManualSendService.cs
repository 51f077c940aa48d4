using Comms.Common;
using Comms.Contacts;
using Comms.Libraries;
using Comms.Scenarios;
using Comms.Storage;
using Comms.Templates;

namespace Comms.Notices;

/// <summary>
/// Staff send a chosen template to selected patrons (by contact role) or to a supplier. It goes through
/// the normal dispatcher: library rules, blacklist, exactly-once per request id, email log.
/// </summary>
public sealed record ManualSendRequest
{
    /// <summary>Idempotency key chosen by the caller: the same id never sends twice to the same reader.</summary>
    public required string RequestId { get; init; }

    /// <summary>A saved template id, or "default:{scenario}".</summary>
    public required string TemplateId { get; init; }

    /// <summary>Which of the template's scenarios (its model and the library's rules) to send as.</summary>
    public required string Scenario { get; init; }

    public IReadOnlyList<string> PatronIds { get; init; } = [];

    /// <summary>Roles that receive it; default: the library's roles for the scenario.</summary>
    public IReadOnlyList<ContactRole>? Roles { get; init; }

    public string? SupplierId { get; init; }
}

public sealed class ManualSendService(LibraryService libraries, TemplateStore templates, Outbox.NoticeOutbox outbox, TimeProvider clock)
{
    public const int MaxPatrons = 1000;

    public async Task<IReadOnlyList<Outbox.QueuedNotice>> SendAsync(string libraryId, ManualSendRequest request, CancellationToken cancellationToken = default)
    {
        var key = Validate(request);
        var library = await libraries.GetAsync(libraryId, cancellationToken);
        await RequireTemplateAsync(libraryId, request.TemplateId, key, cancellationToken);

        var today = LibraryClock.Today(library, clock.GetUtcNow());
        var targets = request.SupplierId is { } supplier
            ? [new NoticeRequest { LibraryId = libraryId, Scenario = key, SubjectRecordId = $"manual-{request.RequestId}", ScheduledFor = today, SupplierId = supplier, TemplateId = request.TemplateId }]
            : request.PatronIds.Select(p => new NoticeRequest
            {
                LibraryId = libraryId,
                Scenario = key,
                SubjectRecordId = $"manual-{request.RequestId}",
                ScheduledFor = today,
                PatronId = p,
                TemplateId = request.TemplateId,
                Roles = request.Roles,
            }).ToList();

        // Queued, one notice per patron: a thousand patrons never hold the request open on a provider.
        return await outbox.EnqueueManyAsync(targets, cancellationToken);
    }

    private static ScenarioKey Validate(ManualSendRequest request)
    {
        var errors = new ValidationErrors();
        if (!TableKeys.IsValidId(request.RequestId))
        {
            errors.Add("requestId", "Use 1-100 letters, digits, '.', '_' or '-'.");
        }

        if (!ScenarioKey.TryParse(request.Scenario, out var key))
        {
            errors.Add("scenario", $"'{request.Scenario}' is not a scenario key; GET /api/scenarios lists them.");
        }

        if ((request.SupplierId is null) == (request.PatronIds.Count == 0))
        {
            errors.Add("patronIds", "Give either patronIds or supplierId.");
        }

        if (request.PatronIds.Count > MaxPatrons)
        {
            errors.Add("patronIds", $"At most {MaxPatrons} patrons per request.");
        }

        for (var i = 0; i < request.PatronIds.Count; i++)
        {
            if (!TableKeys.IsValidId(request.PatronIds[i]))
            {
                errors.Add($"patronIds[{i}]", "Not a valid patron id.");
            }
        }

        if (request.SupplierId is not null && !TableKeys.IsValidId(request.SupplierId))
        {
            errors.Add("supplierId", "Not a valid supplier id.");
        }

        if (request.Roles is { Count: 0 })
        {
            errors.Add("roles", "Give at least one role, or leave roles out to use the library's.");
        }

        errors.ThrowIfAny();
        return key;
    }

    private async Task RequireTemplateAsync(string libraryId, string templateId, ScenarioKey key, CancellationToken cancellationToken)
    {
        if (templateId == DefaultTemplates.IdFor(key))
        {
            return;
        }

        if (templateId.StartsWith(DefaultTemplates.IdPrefix, StringComparison.Ordinal) || !TableKeys.IsValidId(templateId))
        {
            throw RequestValidationException.For("templateId", $"Use a saved template id or '{DefaultTemplates.IdFor(key)}'.");
        }

        var head = await templates.GetAsync(libraryId, templateId, cancellationToken)
            ?? throw new NotFoundException($"Template '{templateId}' was not found.");
        if (!head.Summary.UsedBy.Contains(key.ToString(), StringComparer.Ordinal))
        {
            throw RequestValidationException.For("scenario", $"Template '{templateId}' is not used by '{key}'.");
        }
    }
}
