using Microsoft.DurableTask;

namespace Comms.Functions.Durable;

/// <summary>
/// The retry policy of every activity a loan or reservation orchestration calls. Activities are at-least-once
/// and the delivery ledger makes sends exactly-once, so retrying is always safe. The budget (waits of 5, 10,
/// 20, 40 s, then 60 s: about 6 minutes over 10 attempts) must outlast a notice claim left by a crashed worker
/// (Comms:Email:ClaimLeaseSeconds, at most 240 s): until the claim expires the send is deferred, and a step
/// that gave up earlier would be recorded as failed and its notice never sent.
/// </summary>
public static class ActivityRetry
{
    public static readonly TaskOptions Options = TaskOptions.FromRetryPolicy(
        new RetryPolicy(10, TimeSpan.FromSeconds(5), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));
}
