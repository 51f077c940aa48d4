using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace Comms.Storage;

/// <summary>
/// Group commit for single-row writes on the send path. Writes to one partition of one table that arrive while
/// a write to that partition is in flight wait for it and then go together as one transaction (up to 100 rows),
/// so at a busy send time a library's ledger and log rows cost one storage call per batch, not one per row, and
/// a lone write still goes at once. Each caller's task completes when its own row is stored, with the same
/// outcome (and the same exception, e.g. a 409 on an insert) it would have had written alone: a transaction
/// that fails is atomic, so its rows are then written one by one.
/// Up to <see cref="FlushesInFlight"/> transactions per partition are in flight at once, so one slow storage
/// call holds back only the rows it carries, never every send of the library. Writes to one row from callers
/// running at the same time are not ordered, as they would not be written alone; a caller that awaits its write
/// before the next one keeps its order.
/// </summary>
public sealed class PartitionWriteBatcher(CommsTables tables)
{
    /// <summary>Transactions in flight per partition at most.</summary>
    public const int FlushesInFlight = 2;

    private readonly ConcurrentDictionary<(string Table, string Partition), PartitionQueue> _queues = new();

    /// <summary>Writes one row (insert, upsert, update or delete) and completes when it is stored.</summary>
    public Task WriteAsync(string tableName, TableTransactionAction action)
    {
        var queue = _queues.GetOrAdd((tableName, action.Entity.PartitionKey), _ => new PartitionQueue());
        var pending = new PendingWrite(action);
        bool startFlush;
        lock (queue)
        {
            queue.Waiting.Add(pending);
            startFlush = queue.Flushes < FlushesInFlight;
            if (startFlush)
            {
                queue.Flushes++;
            }
        }

        if (startFlush)
        {
            // The loop runs until nothing it may take is left; a flush already running takes this write otherwise.
            _ = FlushAsync(tableName, queue);
        }

        return pending.Done.Task;
    }

    private async Task FlushAsync(string tableName, PartitionQueue queue)
    {
        while (true)
        {
            List<PendingWrite> batch;
            lock (queue)
            {
                batch = queue.TakeBatch();
                if (batch.Count == 0)
                {
                    queue.Flushes--;
                    return;
                }
            }

            try
            {
                var table = await tables.GetAsync(tableName).ConfigureAwait(false);
                await CommitAsync(table, batch).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Only the table client itself can fail here (CommitAsync settles every write): nothing was written.
                foreach (var write in batch)
                {
                    write.Done.TrySetException(e);
                }
            }
        }
    }

    private static async Task CommitAsync(TableClient table, List<PendingWrite> batch)
    {
        if (batch.Count > 1)
        {
            try
            {
                await table.SubmitTransactionAsync(batch.Select(w => w.Action)).ConfigureAwait(false);
                foreach (var write in batch)
                {
                    write.Done.TrySetResult();
                }

                return;
            }
            catch (RequestFailedException)
            {
                // One row refused the transaction and nothing of it was stored: each row on its own, so every
                // caller gets its own row's answer.
            }
        }

        await Task.WhenAll(batch.Select(w => WriteAloneAsync(table, w))).ConfigureAwait(false);
    }

    private static async Task WriteAloneAsync(TableClient table, PendingWrite write)
    {
        try
        {
            var entity = write.Action.Entity;
            var etag = write.Action.ETag;
            Task call = write.Action.ActionType switch
            {
                TableTransactionActionType.Add => table.AddEntityAsync(entity),
                TableTransactionActionType.UpsertReplace => table.UpsertEntityAsync(entity, TableUpdateMode.Replace),
                TableTransactionActionType.UpsertMerge => table.UpsertEntityAsync(entity, TableUpdateMode.Merge),
                TableTransactionActionType.UpdateReplace => table.UpdateEntityAsync(entity, etag == default ? ETag.All : etag, TableUpdateMode.Replace),
                TableTransactionActionType.UpdateMerge => table.UpdateEntityAsync(entity, etag == default ? ETag.All : etag, TableUpdateMode.Merge),
                TableTransactionActionType.Delete => table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, etag == default ? ETag.All : etag),
                _ => throw new ArgumentOutOfRangeException(nameof(write), write.Action.ActionType, "Not a table write."),
            };
            await call.ConfigureAwait(false);
            write.Done.TrySetResult();
        }
        catch (Exception e)
        {
            write.Done.TrySetException(e);
        }
    }

    private sealed class PendingWrite(TableTransactionAction action)
    {
        public TableTransactionAction Action { get; } = action;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The writes waiting for one partition; lock the queue itself to touch it.</summary>
    private sealed class PartitionQueue
    {
        public List<PendingWrite> Waiting { get; } = [];
        public int Flushes { get; set; }

        /// <summary>
        /// Up to 100 waiting writes, oldest first, at most one per row: a transaction may not touch a row twice,
        /// so a second write to a row waits for a later batch.
        /// </summary>
        public List<PendingWrite> TakeBatch()
        {
            var batch = new List<PendingWrite>();
            var rows = new HashSet<string>(StringComparer.Ordinal);
            foreach (var write in Waiting)
            {
                if (batch.Count == CommsTables.BatchSize)
                {
                    break;
                }

                if (rows.Add(write.Action.Entity.RowKey))
                {
                    batch.Add(write);
                }
            }

            var taken = batch.ToHashSet();
            Waiting.RemoveAll(taken.Contains);
            return batch;
        }
    }
}
