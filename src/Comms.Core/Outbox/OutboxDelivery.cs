using System.Text.Json;
using Comms.Common;
using Comms.Notices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Comms.Outbox;

/// <summary>
/// One delivery attempt of a queued notice, run by the queue-triggered function. It takes the notice (a lease,
/// written with the row's ETag, so a cancel and an attempt never both win), hands the stored request to the
/// dispatcher (ledger, blacklist, provider retries and failover, email log: nothing is sent twice), and records
/// the outcome. A deferral queues the next attempt with backoff until the notice's deadline; past it the notice
/// ends Expired (a reset link) or Failed, and is never sent late.
/// </summary>
public sealed partial class OutboxDelivery(
    OutboxStore store,
    OutboxQueue queue,
    NoticeProtector protector,
    INoticeDispatcher dispatcher,
    OutboxEvents events,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxDelivery> logger)
{
    /// <summary>A message may arrive a little before the time it was queued for; within this it is not early.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(2);

    public async Task AttemptAsync(OutboxMessage message, CancellationToken cancellationToken = default)
    {
        var taken = await TakeAsync(message, cancellationToken);
        if (taken is not var (notice, request, etag))
        {
            return;
        }

        var number = notice.Attempts.Count == 0 ? 1 : notice.Attempts.Max(a => a.Number) + 1;
        NoticeDispatchResult result;
        var deferred = false;
        try
        {
            result = await dispatcher.DispatchAsync(request, cancellationToken);
        }
        catch (DeliveryDeferredException e)
        {
            result = e.Partial;
            deferred = true;
        }
        catch (Exception e) when (e is NotFoundException or RequestValidationException or ConflictException)
        {
            // The library, patron or template went away, or the data no longer passes: retrying cannot help.
            await FinishAsync(notice, etag, n => n with { State = NoticeState.Failed, Reason = e.Message }, cancellationToken);
            return;
        }

        var now = clock.GetUtcNow();
        var attempts = result.Outcomes.Select(o => new NoticeAttempt(number, now, Status(o.Status), o.Provider, o.Reason, o.NoticeId)).ToList();
        if (deferred && attempts.Count == 0)
        {
            attempts.Add(new NoticeAttempt(number, now, "deferred", null, "The provider could not take it now; retrying.", null));
        }

        var recipients = Merge(notice.Recipients, result, now);
        await store.IndexRecipientsAsync(notice.LibraryId, notice.Id, recipients.Select(r => r.LedgerId), cancellationToken);

        if (deferred)
        {
            var next = now + Backoff(number);
            if (next > notice.GiveUpAt)
            {
                next = notice.GiveUpAt;
            }

            // The message first, then the row: a crash in between leaves a message that finds the notice taken
            // (and waits out the lease) rather than a queued notice nobody will ever attempt.
            await queue.SendAsync(message, next - now, cancellationToken);
            await FinishAsync(notice, etag, n => n with
            {
                State = NoticeState.Queued,
                NextAttemptAt = next,
                Attempts = [.. n.Attempts, .. attempts],
                Recipients = recipients,
            }, cancellationToken);
            LogDeferred(notice.Id, number, next);
            return;
        }

        var state = StateOf(result);
        await FinishAsync(notice, etag, n => n with
        {
            State = state,
            Reason = state == NoticeState.Sent ? null : result.Outcomes.Select(o => o.Reason).FirstOrDefault(r => r is not null),
            Attempts = [.. n.Attempts, .. attempts],
            Recipients = recipients,
        }, cancellationToken);
    }

    /// <summary>
    /// Reads the notice and, when an attempt is due, takes it (Sending with a lease). Null when there is nothing
    /// to do now: final, cancelled, a later attempt already queued, or another worker's lease still running.
    /// </summary>
    private async Task<(OutboxNotice Notice, NoticeRequest Request, Azure.ETag ETag)?> TakeAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        for (var race = 0; race < 5; race++)
        {
            if (await store.GetAsync(message.LibraryId, message.NoticeId, cancellationToken) is not var (notice, etag) || notice.State.IsFinal())
            {
                return null;
            }

            var now = clock.GetUtcNow();
            if (notice.State == NoticeState.Sending && notice.LeaseUntil > now)
            {
                // Someone is attempting it. Should they die, this message comes back when their lease ends.
                await queue.SendAsync(message, notice.LeaseUntil.Value - now + Tolerance, cancellationToken);
                return null;
            }

            if (notice.State == NoticeState.Queued && notice.NextAttemptAt > now + Tolerance)
            {
                return null;
            }

            if (now >= notice.GiveUpAt)
            {
                await FinishAsync(notice, etag, GiveUp, cancellationToken);
                return null;
            }

            var json = notice.ProtectedRequest is { } p ? protector.Unprotect(NoticeOutbox.ProtectionContext(notice.LibraryId, notice.Id), p) : null;
            var request = Read(json);
            if (request is null)
            {
                await FinishAsync(notice, etag, n => n with { State = NoticeState.Failed, Reason = "The notice's stored data could not be read (was Comms:Outbox:ProtectionKey changed?)." }, cancellationToken);
                return null;
            }

            var taken = notice with { State = NoticeState.Sending, LeaseUntil = now + options.Value.AttemptLease, NextAttemptAt = null, UpdatedAt = now };
            if (await store.TryReplaceAsync(taken, etag, cancellationToken))
            {
                var fresh = await store.GetAsync(taken.LibraryId, taken.Id, cancellationToken);
                return fresh is var (n, e) && n.State == NoticeState.Sending ? (n, request, e) : null;
            }
        }

        return null;
    }

    private static NoticeRequest? Read(string? json)
    {
        try
        {
            return json is null ? null : JsonSerializer.Deserialize<NoticeRequest>(json, OutboxJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private OutboxNotice GiveUp(OutboxNotice notice) =>
        notice.Scenario == Scenarios.ScenarioKey.Kebab(Scenarios.Scenario.PasswordReset)
            ? notice with
            {
                State = NoticeState.Expired,
                Reason = "The reset link would have expired before it arrived; it was not sent. Ask the library system for a new one.",
            }
            : notice with
            {
                State = NoticeState.Failed,
                Reason = $"No provider took it before {notice.GiveUpAt:u} (after {notice.Attempts.Select(a => a.Number).DefaultIfEmpty(0).Max()} attempts); gave up.",
            };

    /// <summary>Writes the notice's next state; a lost race re-reads and applies the same change to what is there.</summary>
    private async Task FinishAsync(OutboxNotice notice, Azure.ETag etag, Func<OutboxNotice, OutboxNotice> change, CancellationToken cancellationToken)
    {
        for (var race = 0; race < 5; race++)
        {
            var next = change(notice) with { UpdatedAt = clock.GetUtcNow(), LeaseUntil = null };
            if (next.State.IsFinal() && next.Scenario == Scenarios.ScenarioKey.Kebab(Scenarios.Scenario.PasswordReset))
            {
                // The link has done its job (or can no longer): keep no copy of it, not even encrypted.
                next = next with { ProtectedRequest = null };
            }

            if (await store.TryReplaceAsync(next, etag, cancellationToken))
            {
                if (next.State.IsFinal())
                {
                    await events.FinalAsync(next, cancellationToken);
                }

                return;
            }

            if (await store.GetAsync(notice.LibraryId, notice.Id, cancellationToken) is not var (fresh, freshTag) || fresh.State is NoticeState.Cancelled)
            {
                return;
            }

            (notice, etag) = (fresh, freshTag);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var o = options.Value;
        var delay = o.FirstRetryDelay * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = delay > o.MaxRetryDelay ? o.MaxRetryDelay : delay;

        // ±20 % so the notices an outage held back do not all come back in the same second.
        return capped * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }

    private static IReadOnlyList<NoticeRecipientState> Merge(IReadOnlyList<NoticeRecipientState> before, NoticeDispatchResult result, DateTimeOffset now)
    {
        var merged = before.ToDictionary(r => r.LedgerId, StringComparer.Ordinal);
        foreach (var o in result.Outcomes)
        {
            merged[o.NoticeId] = new NoticeRecipientState(o.NoticeId, Status(o.Status), now, o.Provider, o.Reason, EmailLog.EmailLogStore.ChannelKey(o.Channel));
        }

        return [.. merged.Values];
    }

    private static NoticeState StateOf(NoticeDispatchResult result) => result.Outcome switch
    {
        "sent" => NoticeState.Sent,
        "failed" or "noContact" => NoticeState.Failed,
        "suppressed" => NoticeState.Suppressed,
        _ => NoticeState.Skipped,
    };

    private static string Status(EmailLog.EmailStatus status) => JsonNamingPolicyCamel(status.ToString());

    private static string JsonNamingPolicyCamel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notice {NoticeId}: attempt {Attempt} deferred; next at {NextAttemptAt:o}.")]
    private partial void LogDeferred(string noticeId, int attempt, DateTimeOffset nextAttemptAt);
}
