using Azure.Core;
using Azure.Core.Pipeline;

namespace Comms.Tests.Infrastructure;

/// <summary>
/// A storage pipeline policy that holds the first request <see cref="Match"/> accepts after <see cref="Arm"/>
/// until <see cref="Release"/>, so a test can run other work in the gap between two writes of the code
/// under test (a forced interleaving, not a lucky one). Requests still go to the real emulator.
/// </summary>
public sealed class HoldFirstRequestPolicy : HttpPipelinePolicy
{
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armed;

    public Func<Request, bool> Match { get; set; } = _ => false;

    /// <summary>Completes when the held request has arrived (and waits).</summary>
    public Task Reached => _reached.Task;

    public void Arm()
    {
        _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _armed, 1);
    }

    public void Release() => _release.TrySetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (Volatile.Read(ref _armed) == 1 && Match(message.Request) && Interlocked.Exchange(ref _armed, 0) == 1)
        {
            _reached.TrySetResult();
            await _release.Task;
        }

        await ProcessNextAsync(message, pipeline);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();
}
