using Microsoft.Data.Sqlite;

namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>
/// Group commit: writes that arrive while one transaction is under way share the next one, each in its own savepoint.
/// </summary>
/// <remarks>
/// With <c>synchronous=FULL</c> every transaction waits for the disk, and a block costs several writes (its lease, its
/// report, the next block's work). Sharing one transaction, and so one wait, among everything queued keeps that wait
/// from bounding throughput. Each write still stands alone: one that throws (a version conflict, a lost lease) is rolled
/// back to its savepoint and fails alone, and the others commit. No caller gets its result before the transaction
/// holding its write is durable. There is no thread of its own: the caller that finds the writer idle writes for everyone
/// who queues behind it.
/// </remarks>
internal sealed partial class SqliteStore
{
    /// <summary>The most writes one transaction takes, so a burst cannot hold the file for long.</summary>
    private const int MaxWritesPerTransaction = 256;

    private readonly Queue<PendingWrite> _writes = new();
    private bool _writing;

    private async Task<T> WriteAsync<T>(Func<SqliteTransaction, T> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite(transaction => write(transaction));
        bool drain;
        lock (_writes)
        {
            _writes.Enqueue(pending);
            drain = !_writing;
            _writing = true;
        }

        if (drain)
        {
            await DrainWritesAsync().ConfigureAwait(false);
        }

        return (T)(await pending.Result.Task.ConfigureAwait(false))!;
    }

    private async Task DrainWritesAsync()
    {
        while (NextWrites() is { } batch)
        {
            // Reads share the connection; they take the gate between transactions.
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                WriteBatch(batch);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private List<PendingWrite>? NextWrites()
    {
        lock (_writes)
        {
            if (_writes.Count == 0)
            {
                _writing = false;
                return null;
            }

            var batch = new List<PendingWrite>(Math.Min(_writes.Count, MaxWritesPerTransaction));
            while (batch.Count < MaxWritesPerTransaction && _writes.TryDequeue(out var next))
            {
                batch.Add(next);
            }

            return batch;
        }
    }

    private void WriteBatch(List<PendingWrite> batch)
    {
        var results = new object?[batch.Count];
        var failures = new Exception?[batch.Count];
        try
        {
            using var transaction = _connection.BeginTransaction();
            for (var i = 0; i < batch.Count; i++)
            {
                transaction.Save("write");
                try
                {
                    results[i] = batch[i].Write(transaction);
                    transaction.Release("write");
                }
#pragma warning disable CA1031 // The write's own failure, handed to its caller; the rest of the batch goes on.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    transaction.Rollback("write");
                    transaction.Release("write");
                    failures[i] = e;
                }
            }

            transaction.Commit();
        }
#pragma warning disable CA1031 // The transaction itself failed (disk full, I/O error): every write in it failed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            foreach (var write in batch)
            {
                write.Result.TrySetException(e);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Result.TrySetException(failure);
            }
            else
            {
                batch[i].Result.TrySetResult(results[i]);
            }
        }
    }

    /// <summary>A write waiting for its turn in a shared transaction.</summary>
    private sealed class PendingWrite(Func<SqliteTransaction, object?> write)
    {
        public Func<SqliteTransaction, object?> Write { get; } = write;

        public TaskCompletionSource<object?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
