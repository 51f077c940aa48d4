using Comms.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace Comms.Tests.Infrastructure;

/// <summary>
/// Immediate notices are sent in the background by the outbox's queue function. A test that asserts on what was
/// sent first waits here until none of the library's notices is still queued or being sent.
/// </summary>
public static class OutboxDrain
{
    public static async Task WaitAsync(IServiceProvider services, string libraryId, TimeSpan? timeout = null)
    {
        var store = services.GetRequiredService<OutboxStore>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var pending = await store.ListPendingAsync(libraryId, 10);
            if (pending.Count == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Outbox notices of {libraryId} still pending: {string.Join(", ", pending)}");
            }

            await Task.Delay(100);
        }
    }
}
