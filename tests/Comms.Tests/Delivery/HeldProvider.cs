using Comms.Delivery;

namespace Comms.Tests.Delivery;

/// <summary>
/// Wraps a real provider and holds its first call, before it reaches the provider, until <see cref="Release"/>: a
/// send that is alive but slow (a provider or network under load), for as long as the test wants. Counts every call.
/// </summary>
public sealed class HeldProvider(IEmailProvider inner) : IEmailProvider
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public string Name => inner.Name;
    public bool IdempotentByMessageKey => inner.IdempotentByMessageKey;

    /// <summary>Completes when the first call has arrived and is being held.</summary>
    public Task Entered => _entered.Task;

    public int Calls => Volatile.Read(ref _calls);

    public void Release() => _release.TrySetResult();

    public async Task<ProviderResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _calls) == 1)
        {
            _entered.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
        }

        return await inner.SendAsync(email, cancellationToken);
    }
}
