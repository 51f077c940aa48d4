using Comms.Common;
using Comms.Delivery;
using Comms.EmailLog;
using Comms.Libraries;
using Comms.Scenarios;
using Comms.Templates;

namespace Comms.Print;

/// <summary>
/// The print step of a library's chain, for the readers neither email nor SMS reached: each gets a page in the library's
/// next print batch (its branch's, when the patron has one). The page has its own notice id in the same ledger (the
/// channel is part of it), so a retried activity or a repeated outbox attempt adds it once; its email log row (channel
/// print) reads Queued until staff confirm the batch was printed.
/// </summary>
public sealed class PrintFallback(NoticeLedger ledger, EmailLogStore log, PrintItemStore items, TemplateRenderer renderer, TimeProvider clock)
{
    public const string ProviderName = "Print";

    public async Task<NoticeResult> AddAsync(Library library, Notice notice, IReadOnlyList<NoticeRecipient> recipients, TemplateModel model, CancellationToken cancellationToken)
    {
        var entries = new List<EmailLogEntry>();
        var outcomes = new List<RecipientOutcome>();
        RenderedPrint? page = null;
        string? failure = null;
        foreach (var recipient in recipients)
        {
            var id = NoticeIds.For(notice, NoticeIds.RecipientKey(recipient), NoticeChannel.Print);
            if (page is null && failure is null)
            {
                (page, failure) = Render(notice.Scenario.Scenario, model);
            }

            if (page is null)
            {
                entries.Add(Entry(notice, id, recipient, EmailStatus.Failed, failure, null, clock.GetUtcNow(), EmailLogStore.NewId(clock.GetUtcNow())));
                outcomes.Add(new RecipientOutcome(id, EmailStatus.Failed, failure) { Channel = NoticeChannel.Print });
                continue;
            }

            var now = clock.GetUtcNow();
            var existing = await ledger.TryClaimAsync(library.Id, id, ProviderName, now, cancellationToken: cancellationToken);
            if (existing?.GetState() == LedgerState.Sent)
            {
                const string Already = "Already in the print batch.";
                entries.Add(Entry(notice, id, recipient, EmailStatus.Skipped, Already, null, now, EmailLogStore.NewId(now)));
                outcomes.Add(new RecipientOutcome(id, EmailStatus.Skipped, Already, ProviderName, AlreadySent: true) { Channel = NoticeChannel.Print });
                continue;
            }

            // A claim left by a crash finds the item it stored (same id) and logs it under the same row id.
            var item = new PrintItem
            {
                Id = id,
                LibraryId = library.Id,
                Branch = recipient.Branch,
                Scenario = notice.Scenario.ToString(),
                SubjectRecordId = notice.SubjectRecordId,
                PatronId = recipient.PatronId ?? notice.PatronId,
                RecipientName = recipient.Name,
                Role = recipient.Role,
                PostalAddress = recipient.PostalAddress,
                Heading = page.Heading,
                Body = page.Body,
                CreatedAt = now,
                LogEntryId = EmailLogStore.SentEntryId(id, now),
            };
            if (!await items.TryInsertAsync(item, cancellationToken))
            {
                item = await items.GetAsync(library.Id, id, cancellationToken) ?? item;
            }

            await ledger.MarkSentAsync(library.Id, id, ProviderName, null, item.CreatedAt, item.LogEntryId, cancellationToken);
            var reason = item.PostalAddress is null ? "Added to the print batch; no postal address on file (address by hand)." : "Added to the print batch.";
            entries.Add(Entry(notice, id, recipient, EmailStatus.Queued, reason, page, item.CreatedAt, item.LogEntryId!));
            outcomes.Add(new RecipientOutcome(id, EmailStatus.Queued, reason, ProviderName) { Channel = NoticeChannel.Print });
        }

        await log.AppendManyAsync(entries, cancellationToken);
        return new NoticeResult(outcomes);
    }

    private (RenderedPrint? Page, string? Failure) Render(Scenario scenario, TemplateModel model)
    {
        if (!PrintTemplates.Has(scenario))
        {
            return (null, $"'{ScenarioKey.Kebab(scenario)}' has no print text.");
        }

        try
        {
            return PrintTemplates.Render(renderer, PrintTemplates.DefaultFor(scenario), model) is { } page
                ? (page, null)
                : (null, "This notice carries a secret (a link) and is never printed.");
        }
        catch (TemplateRenderLimitException e)
        {
            return (null, e.Message);
        }
    }

    private static EmailLogEntry Entry(Notice notice, string id, NoticeRecipient recipient, EmailStatus status, string? reason, RenderedPrint? page, DateTimeOffset at, string entryId) => new()
    {
        Id = entryId,
        Time = at,
        LibraryId = notice.LibraryId,
        Scenario = notice.Scenario.ToString(),
        TemplateId = "print-default:" + ScenarioKey.Kebab(notice.Scenario.Scenario),
        NoticeId = id,
        SubjectRecordId = notice.SubjectRecordId,
        Address = PostalAddress.OneLine(recipient.PostalAddress),
        RecipientName = recipient.Name,
        Role = recipient.Role,
        PatronId = recipient.PatronId ?? notice.PatronId,
        Subject = page?.Heading ?? "Print",
        Preview = page is null ? null : page.Body.Length <= NoticeSender.PreviewLength ? page.Body : page.Body[..NoticeSender.PreviewLength] + "…",
        Channel = NoticeChannel.Print,
        Provider = ProviderName,
        Status = status,
        Reason = reason,
        OutboxNoticeId = notice.OutboxNoticeId,
    };
}
