using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Comms.Storage;
using Comms.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Comms.Tests.Storage;

/// <summary>Group commit on Azurite: fewer calls under concurrency, and each caller still gets its own row's answer.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class PartitionWriteBatcherTests(EmulatorFixture emulators)
{
    private const string Table = "BatcherRows";

    [Fact]
    public async Task WriteAsync_FiftyConcurrentRowsOfOnePartition_AllStoredInThreeCalls()
    {
        var (tables, calls) = Tables();
        var batcher = new PartitionWriteBatcher(tables);
        var table = await tables.GetAsync(Table);
        calls.Reset();

        // The first two rows each take one of the two transactions allowed in flight, and are held there until the
        // other 48 wait behind them: those then go as one transaction. Holding the first two makes the count exact
        // however fast storage answers.
        calls.Hold();
        var writes = Enumerable.Range(0, 50).Select(i => batcher.WriteAsync(Table, Upsert("p", $"r{i:D2}", i))).ToList();
        calls.Release();
        await Task.WhenAll(writes);
        var (sent, refused) = (calls.Count, calls.Refused);

        Assert.Equal(50, await CountAsync(table, "p"));
        Assert.Equal(PartitionWriteBatcher.FlushesInFlight + 1, sent);
        Assert.Equal(0, refused);
    }

    [Fact]
    public async Task WriteAsync_InsertOfAnExistingRowAmongOthers_ThatCallerGets409AndTheOthersAreStored()
    {
        var (tables, _) = Tables();
        var batcher = new PartitionWriteBatcher(tables);
        var table = await tables.GetAsync(Table);
        await table.AddEntityAsync(new TableEntity("p", "taken") { ["Value"] = 0 });

        // Several writes at once, so the insert that collides shares a transaction with the others.
        var others = Enumerable.Range(0, 10).Select(i => batcher.WriteAsync(Table, new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"new{i}")))).ToList();
        var clash = batcher.WriteAsync(Table, new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "taken") { ["Value"] = 1 }));

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => clash);
        await Task.WhenAll(others);
        Assert.Equal(409, refused.Status);
        Assert.Equal(11, await CountAsync(table, "p"));
        Assert.Equal(0, (await table.GetEntityAsync<TableEntity>("p", "taken")).Value.GetInt32("Value"));
    }

    [Fact]
    public async Task WriteAsync_SameRowWrittenManyTimesAtOnce_NoTransactionIsRefusedAndOneValueStays()
    {
        var (tables, calls) = Tables();
        var batcher = new PartitionWriteBatcher(tables);
        var table = await tables.GetAsync(Table);
        calls.Reset();

        // A transaction may not touch a row twice (the service refuses it whole): the batcher keeps them apart.
        var writes = Enumerable.Range(1, 20).Select(v => batcher.WriteAsync(Table, Upsert("p", v % 2 == 0 ? "same" : $"other{v}", v)));
        await Task.WhenAll(writes);
        var refused = calls.Refused;

        Assert.Equal(0, refused);
        Assert.Contains((await table.GetEntityAsync<TableEntity>("p", "same")).Value.GetInt32("Value") ?? 0, new[] { 2, 4, 6, 8, 10, 12, 14, 16, 18, 20 });
        Assert.Equal(11, await CountAsync(table, "p"));
    }

    [Fact]
    public async Task WriteAsync_DeleteOfAMissingRowAmongInserts_CompletesAndTheInsertsAreStored()
    {
        var (tables, _) = Tables();
        var batcher = new PartitionWriteBatcher(tables);
        var table = await tables.GetAsync(Table);

        var writes = Enumerable.Range(0, 5).Select(i => batcher.WriteAsync(Table, Upsert("p", $"r{i}", i)))
            .Append(batcher.WriteAsync(Table, new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity("p", "never-written"), ETag.All)))
            .ToList();
        await Task.WhenAll(writes);

        Assert.Equal(5, await CountAsync(table, "p"));
    }

    private static TableTransactionAction Upsert(string partition, string row, int value) =>
        new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, row) { ["Value"] = value });

    private (CommsTables Tables, CallCounter Calls) Tables()
    {
        var calls = new CallCounter();
        var clientOptions = new TableClientOptions();
        clientOptions.AddPolicy(calls, HttpPipelinePosition.PerRetry);
        var options = Options.Create(new StorageOptions
        {
            ConnectionString = TestServices.Settings(emulators)["Comms:Storage:ConnectionString"],
            TablePrefix = EmulatorFixture.NewTablePrefix(),
        });
        return (new CommsTables(options, clientOptions), calls);
    }

    private static async Task<int> CountAsync(TableClient table, string partition)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Counts the requests the table client sends, and those the service refused (a whole transaction's, for one);
    /// while held, requests wait before they are sent.
    /// </summary>
    private sealed class CallCounter : HttpPipelinePolicy
    {
        private int _count;
        private int _refused;
        private TaskCompletionSource _gate = Open();

        public int Count => Volatile.Read(ref _count);

        public int Refused => Volatile.Read(ref _refused);

        public void Reset()
        {
            Interlocked.Exchange(ref _count, 0);
            Interlocked.Exchange(ref _refused, 0);
        }

        public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate.TrySetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Interlocked.Increment(ref _count);
            await _gate.Task;
            await ProcessNextAsync(message, pipeline);
            Check(message);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Interlocked.Increment(ref _count);
            _gate.Task.GetAwaiter().GetResult();
            ProcessNext(message, pipeline);
            Check(message);
        }

        private static TaskCompletionSource Open()
        {
            var open = new TaskCompletionSource();
            open.SetResult();
            return open;
        }

        // A refused transaction answers 202 with the failing operation's status inside; its body is read apart.
        private void Check(HttpMessage message)
        {
            if (message.Response.Status >= 400 || (message.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal) && IsRefusedBatch(message.Response)))
            {
                Interlocked.Increment(ref _refused);
            }
        }

        private static bool IsRefusedBatch(Response response) =>
            response.Content?.ToString() is { } body && (body.Contains("HTTP/1.1 4", StringComparison.Ordinal) || body.Contains("HTTP/1.1 5", StringComparison.Ordinal));
    }
}
