using Comms.Common;
using Comms.Delivery;
using Comms.EmailLog;
using Comms.Layouts;
using Comms.Libraries;
using Comms.Templates;

namespace Comms.Notices;

/// <summary>
/// The shared end of every scenario: decide the audience, render the library's template for each reader
/// (or once per language when the library sends one BCC message), and hand the notices to the delivery
/// pipeline, which makes each one exactly-once and logs it.
/// </summary>
public sealed class NoticeDispatcher(
    LibraryStore libraries,
    NoticeAudienceResolver audiences,
    ITemplateResolver templates,
    TemplateRenderer renderer,
    LayoutStore layouts,
    NoticeSender sender,
    Sms.SmsFallback smsFallback,
    Print.PrintFallback printFallback,
    TimeProvider clock) : INoticeDispatcher
{
    public async Task<NoticeDispatchResult> DispatchAsync(NoticeRequest request, CancellationToken cancellationToken = default)
    {
        NoticeLimits.Check(request);
        var library = await libraries.GetForSendingAsync(request.LibraryId, cancellationToken)
            ?? throw new NotFoundException($"Library '{request.LibraryId}' was not found.");
        var audience = await audiences.ResolveAsync(library, request, cancellationToken);
        var data = NoticeTemplateData.From(request, audience.Supplier);
        var layout = await layouts.GetForSendingAsync(library.Id, cancellationToken);

        var total = NoticeDispatchResult.None;
        var deferred = false;
        foreach (var batch in Batches(library, audience))
        {
            var first = batch[0];
            var template = request.TemplateId is { } chosen
                ? await templates.ResolveChosenAsync(library.Id, chosen, request.Scenario, cancellationToken)
                : request.ContactDigest is { } digest
                    ? await templates.ResolveForContactAsync(library.Id, new TemplateKey(request.Scenario, digest.Shape), first.Language, digest.Patrons.Count == 1, cancellationToken)
                    : await templates.ResolveAsync(library.Id, request.Scenario, first.Language, cancellationToken);
            var reader = library.BccMultipleRecipients && batch.Count > 1 ? null : first.Recipient;
            // Dates, numbers and plurals in the reader's language (else the library's locale), whatever language
            // the template text is in.
            var model = TemplateModelBuilder.Build(
                request.Scenario,
                library,
                first.Language,
                audience.Patron is { } p ? TemplateModelBuilder.PatronOf(p) : null,
                ReaderModel(reader, audience),
                data,
                clock.GetUtcNow(),
                request.ContactDigest?.Shape);

            var skipReason = audience.SkipReason ?? first.OptedOut;
            var smsOnly = request.SmsRecipientKeys is not null && skipReason is null;
            var (content, failReason) = skipReason is null && !smsOnly ? TryRender(template, model, layout) : (RenderedEmail.Empty, null);
            var notice = new Notice
            {
                LibraryId = library.Id,
                Scenario = request.Scenario,
                SubjectRecordId = request.Revision == 0 ? request.SubjectRecordId : $"{request.SubjectRecordId}~r{request.Revision}",
                PatronId = request.ContactDigest is { } d ? (d.Patrons.Count == 1 ? d.Patrons[0].PatronId : null) : request.PatronId,
                IsContactDigest = request.ContactDigest is not null,
                ScheduledFor = request.ScheduledFor,
                Recipients = [.. batch.Select(b => b.Recipient)],
                Content = content,
                TemplateId = template.TemplateId,
                TemplateVersion = template.Version,
                Language = template.Language,
                ReaderLanguage = first.Language,
                SkipReason = skipReason,
                FailReason = failReason,
                OutboxNoticeId = request.OutboxNoticeId,
            };

            // A deferred SMS (quiet hours) texts the readers it was deferred for; the email went (or could not) before.
            var result = smsOnly ? new NoticeResult([]) : await sender.SendAsync(notice, cancellationToken);
            var unreachable = smsOnly
                ? notice.Recipients.Where(r => request.SmsRecipientKeys!.Contains(NoticeIds.RecipientKey(r), StringComparer.Ordinal)).ToList()
                : Unreachable(notice, result);
            var chain = Sms.ChannelChain.For(library, request.Scenario.Scenario);
            if (unreachable.Count > 0 && chain.Contains(NoticeChannel.Sms))
            {
                var sms = await smsFallback.SendAsync(library, request, notice, unreachable, model, cancellationToken);
                result = new NoticeResult([.. result.Recipients, .. sms.Recipients]) { RetryLater = result.RetryLater || sms.RetryLater };
                unreachable = [.. sms.Unreachable];
            }

            // The last resort: a page in the library's print batch for whoever neither email nor SMS reached.
            if (unreachable.Count > 0 && chain.Contains(NoticeChannel.Print))
            {
                var print = await printFallback.AddAsync(library, notice, unreachable, model, cancellationToken);
                result = new NoticeResult([.. result.Recipients, .. print.Recipients]) { RetryLater = result.RetryLater };
            }

            deferred |= result.RetryLater;
            total = total.Add(Count(result));
        }

        if (deferred)
        {
            throw new DeliveryDeferredException("Part of this notice could not be delivered yet; it is safe to retry.") { Partial = total };
        }

        return total;
    }

    /// <summary>A template over the render budget fails this notice (logged, not retried), never the worker.</summary>
    private (RenderedEmail Content, string? FailReason) TryRender(ResolvedTemplate template, TemplateModel model, LibraryLayout layout)
    {
        try
        {
            return (renderer.Render(template.Content, model, layout, template.Language), null);
        }
        catch (TemplateRenderLimitException e)
        {
            return (RenderedEmail.Empty, e.Message);
        }
    }

    /// <summary>
    /// One notice per reader, so each is greeted by name in their language; with the library's BCC flag, one
    /// notice per language carrying every reader of that language (readers who opted out in a batch of their own,
    /// logged skipped).
    /// </summary>
    private static IEnumerable<IReadOnlyList<(NoticeRecipient Recipient, string? Language, string? OptedOut)>> Batches(Library library, NoticeAudience audience) =>
        library.BccMultipleRecipients
            ? audience.Recipients.GroupBy(r => (Language: (r.Language ?? string.Empty).ToUpperInvariant(), r.OptedOut))
                .Select(g => (IReadOnlyList<(NoticeRecipient, string?, string?)>)[.. g])
            : audience.Recipients.Select(r => (IReadOnlyList<(NoticeRecipient, string?, string?)>)[r]);

    private static RecipientModel? ReaderModel(NoticeRecipient? reader, NoticeAudience audience)
    {
        if (reader is not null)
        {
            return new RecipientModel(reader.Name, reader.Role is { } role ? TemplateModelBuilder.Role(role) : "supplier");
        }

        // One BCC message for several readers greets the household by the patron's name.
        return audience.Patron is { } patron ? new RecipientModel(patron.Name, "patron") : null;
    }

    /// <summary>The readers the email could not reach, whom the library's chain may move to the next channel.</summary>
    private static List<NoticeRecipient> Unreachable(Notice notice, NoticeResult result)
    {
        var unreachable = result.Recipients.Where(r => r.EmailUnreachable).Select(r => r.NoticeId).ToHashSet(StringComparer.Ordinal);
        return unreachable.Count == 0 ? [] : [.. notice.Recipients.Where(r => unreachable.Contains(NoticeIds.For(notice, NoticeIds.RecipientKey(r))))];
    }

    /// <summary>A page queued for print counts as sent: the notice has reached a channel that will get it to the reader.</summary>
    private static NoticeDispatchResult Count(NoticeResult result) => new(
        result.Count(EmailStatus.Sent) + result.Count(EmailStatus.Queued),
        result.Count(EmailStatus.Suppressed) + result.Count(EmailStatus.InvalidAddress),
        result.Count(EmailStatus.Skipped),
        result.Count(EmailStatus.Failed),
        result.Count(EmailStatus.NoContact))
    {
        AlreadySent = result.Recipients.Count(r => r.AlreadySent),
        Outcomes = result.Recipients,
    };
}
