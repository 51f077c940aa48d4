using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Comms.Benchmarks.Suite;

namespace Comms.Benchmarks.Storage;

/// <summary>
/// How a table's size changes the cost of one call on Azurite: a point read, and a query for one partition of ten rows
/// (the shape of the durable engine's history load, `PartitionKey eq '{instance}'`), at growing table sizes. Azure
/// Table storage finds a partition through its index; the figure shows whether the emulator does, which decides how
/// far P3's drain on Azurite says anything about the engine.
/// </summary>
public static class AzuriteQueryCost
{
    private const int RowsPerPartition = 10;
    private const int Samples = 40;

    public static async Task RunAsync(string[] args)
    {
        var sizes = args.Length > 1
            ? args[1..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray()
            : [1_000, 10_000, 50_000, 100_000];
        await using var emulators = await Emulators.StartAsync();
        var table = new TableClient(emulators.Storage, "QueryCost" + Guid.NewGuid().ToString("N")[..8]);
        await table.CreateIfNotExistsAsync();
        var stored = 0;
        Console.WriteLine("| Rows in the table | Point read (median) | Partition query, 10 rows (median) |");
        Console.WriteLine("|---|---|---|");
        foreach (var size in sizes.Order())
        {
            stored = await FillToAsync(table, stored, size);
            var partitions = stored / RowsPerPartition;
            var point = await MedianAsync(i => table.GetEntityAsync<TableEntity>(Partition(i * 7919 % partitions), Row(3)));
            var query = await MedianAsync(async i =>
            {
                var partition = Partition(i * 7919 % partitions);
                var rows = 0;
                await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition))
                {
                    rows++;
                }

                return rows == RowsPerPartition ? rows : throw new InvalidOperationException($"{partition} held {rows} rows.");
            });
            Console.WriteLine($"| {stored:N0} | {point:F1} ms | {query:F1} ms |");
        }
    }

    private static async Task<int> FillToAsync(TableClient table, int stored, int size)
    {
        // One transaction per partition (ten rows), a few at a time, so filling is not what the run measures.
        var partitions = Enumerable.Range(stored / RowsPerPartition, (size - stored) / RowsPerPartition);
        await Parallel.ForEachAsync(partitions, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (p, ct) =>
            await table.SubmitTransactionAsync(
                Enumerable.Range(0, RowsPerPartition).Select(r => new TableTransactionAction(TableTransactionActionType.Add,
                    new TableEntity(Partition(p), Row(r)) { ["EventType"] = "TaskCompleted", ["Payload"] = new string('x', 200) })),
                ct));
        return stored + ((size - stored) / RowsPerPartition * RowsPerPartition);
    }

    /// <summary>The median of <see cref="Samples"/> timed calls after one untimed warm-up; the call gets its sample's number.</summary>
    internal static async Task<double> MedianAsync<T>(Func<int, Task<T>> call)
    {
        await call(0);
        var times = new List<double>(Samples);
        for (var i = 1; i <= Samples; i++)
        {
            var watch = Stopwatch.StartNew();
            await call(i);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[Samples / 2];
    }

    private static string Partition(int i) => "loan:lib:L" + i.ToString("D7", CultureInfo.InvariantCulture);

    private static string Row(int i) => i.ToString("X16", CultureInfo.InvariantCulture);
}
