namespace Comms.Outbox;

/// <summary>
/// Where an immediate notice is: queued → sending → sent → delivered / bounced / complained, or one of the ends
/// that never reached a provider (failed, suppressed, skipped, expired, cancelled).
/// </summary>
public enum NoticeState
{
    Queued,
    Sending,
    Sent,
    Delivered,
    Bounced,
    Complained,
    Failed,
    Suppressed,
    Skipped,

    /// <summary>Its deadline passed before a provider took it (a reset link about to expire): never sent stale.</summary>
    Expired,

    /// <summary>Staff cancelled it while it was queued.</summary>
    Cancelled,
}

public static class NoticeStates
{
    /// <summary>States after which no delivery attempt runs any more.</summary>
    public static bool IsFinal(this NoticeState state) => state is not (NoticeState.Queued or NoticeState.Sending);

    /// <summary>States staff may resend from: the notice went (or failed for good) and someone wants it again.</summary>
    public static bool CanResend(this NoticeState state) =>
        state is NoticeState.Sent or NoticeState.Delivered or NoticeState.Failed or NoticeState.Expired;
}
