using Comms.Accounts;
using Comms.Functions.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Comms.Functions.Accounts;

/// <summary>The card orchestration's input: whose card, and the expiry date it plans for.</summary>
public sealed record CardTrack(string LibraryId, string PatronId, DateTimeOffset ExpiresAt);

/// <summary>A new expiry date for the card (the card was renewed or corrected).</summary>
public sealed record CardEvent(DateTimeOffset ExpiresAt);

/// <summary>What GET …/card reports: "scheduled" with the reminder's time, "sent" (or another outcome), or "none".</summary>
public sealed record CardNoticeStatus(string State, DateTimeOffset ExpiresAt, DateTimeOffset? NextAt);

/// <summary>
/// One orchestration per patron card (instance id "card:{libraryId}:{patronId}"): it plans the card-expiring
/// reminder from fresh settings, sleeps on a durable timer raced with a new-date event, sends, then waits for the
/// next date. A reminder months ahead is reached in hops of at most <see cref="MaxSleep"/>, each a ContinueAsNew
/// that re-plans, so the history stays short and a settings change applies at the next hop.
/// </summary>
public static class CardExpiryOrchestration
{
    public const string EventName = "CardEvent";

    private static readonly TimeSpan MaxSleep = TimeSpan.FromDays(90);
    private static readonly TaskOptions Retry = ActivityRetry.Options;

    public static string InstanceId(string libraryId, string patronId) => $"card:{libraryId}:{patronId}";

    [Function(nameof(CardExpiryOrchestrator))]
    public static async Task<string> CardExpiryOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context, CardTrack track)
    {
        var plan = await context.CallActivityAsync<CardReminderPlan?>(nameof(CardExpiryActivities.PlanCardReminder), track, Retry);
        var pendingEvent = context.WaitForExternalEvent<CardEvent>(EventName);
        if (plan is not null)
        {
            context.SetCustomStatus(new CardNoticeStatus("scheduled", track.ExpiresAt, plan.FireAt));
            var wakeAt = plan.FireAt - context.CurrentUtcDateTime > MaxSleep ? context.CurrentUtcDateTime + MaxSleep : plan.FireAt.UtcDateTime;
            using var cancellation = new CancellationTokenSource();
            var timer = context.CreateTimer(wakeAt, cancellation.Token);
            if (await Task.WhenAny(pendingEvent, timer) == timer)
            {
                if (wakeAt < plan.FireAt.UtcDateTime)
                {
                    context.ContinueAsNew(track, preserveUnprocessedEvents: true);
                    return "re-planned";
                }

                var outcome = await context.CallActivityAsync<string>(nameof(CardExpiryActivities.SendCardExpiring), new CardReminder(track, plan), Retry);
                context.SetCustomStatus(new CardNoticeStatus(outcome, track.ExpiresAt, null));
            }
            else
            {
                cancellation.Cancel();
            }
        }
        else
        {
            context.SetCustomStatus(new CardNoticeStatus("none", track.ExpiresAt, null));
        }

        // Until the library system reports a new expiry date; then plan for it.
        var next = await pendingEvent;
        context.ContinueAsNew(track with { ExpiresAt = next.ExpiresAt }, preserveUnprocessedEvents: true);
        return "continued";
    }
}

public sealed record CardReminder(CardTrack Track, CardReminderPlan Plan);

public sealed class CardExpiryActivities(PatronCards cards)
{
    [Function(nameof(PlanCardReminder))]
    public Task<CardReminderPlan?> PlanCardReminder([ActivityTrigger] CardTrack track) => cards.PlanAsync(track.LibraryId, track.ExpiresAt);

    [Function(nameof(SendCardExpiring))]
    public Task<string> SendCardExpiring([ActivityTrigger] CardReminder input) =>
        cards.SendAsync(input.Track.LibraryId, input.Track.PatronId, input.Track.ExpiresAt, input.Plan);
}
