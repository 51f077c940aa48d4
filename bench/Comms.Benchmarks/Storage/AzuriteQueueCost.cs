using System.Globalization;
using Azure.Storage.Queues;
using Comms.Benchmarks.Suite;

namespace Comms.Benchmarks.Storage;

/// <summary>
/// How messages waiting in one queue change the cost of calls on another, on Azurite: the durable engine keeps every
/// pending timer as an invisible message in a control queue, so a morning burst of 10,000 loans holds 10,000 of them
/// while every poll, put and delete of every queue runs. Measures a poll that finds nothing, and a put plus receive plus
/// delete, on a second queue as the first fills. Azure Queue storage keeps queues apart; the figure shows whether the
/// emulator does.
/// </summary>
public static class AzuriteQueueCost
{
    public static async Task RunAsync(string[] args)
    {
        var sizes = args.Length > 1
            ? args[1..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray()
            : [0, 1_000, 10_000, 50_000];
        await using var emulators = await Emulators.StartAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var timers = new QueueClient(emulators.Storage, "timers-" + suffix);
        var work = new QueueClient(emulators.Storage, "work-" + suffix);
        await timers.CreateIfNotExistsAsync();
        await work.CreateIfNotExistsAsync();
        var waiting = 0;
        Console.WriteLine("| Invisible messages in another queue | Empty poll (median) | Put + receive + delete (median) |");
        Console.WriteLine("|---|---|---|");
        foreach (var size in sizes.Order())
        {
            // Like durable timers: visible only an hour from now, so they are never received here.
            await Parallel.ForEachAsync(Enumerable.Range(waiting, size - waiting), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
                await timers.SendMessageAsync($"timer {i}", visibilityTimeout: TimeSpan.FromHours(1), cancellationToken: ct));
            waiting = Math.Max(waiting, size);
            var poll = await AzuriteQueryCost.MedianAsync(async _ => (await work.ReceiveMessagesAsync(maxMessages: 32)).Value.Length);
            var cycle = await AzuriteQueryCost.MedianAsync(async _ =>
            {
                await work.SendMessageAsync("work");
                var received = (await work.ReceiveMessagesAsync(maxMessages: 1)).Value;
                foreach (var message in received)
                {
                    await work.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }

                return received.Length;
            });
            Console.WriteLine($"| {waiting:N0} | {poll:F1} ms | {cycle:F1} ms |");
        }
    }
}
