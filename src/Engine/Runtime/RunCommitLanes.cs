using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Runtime;

/// <summary>
/// One lane per run: this process commits to a run one decision at a time, and reports that arrive while a commit is
/// under way are decided and committed together in the next one (group commit).
/// </summary>
/// <remarks>
/// Without it, concurrent reports on one run (the items of a fan-out finishing together) race for the run's version:
/// all but one commit fail, re-read the run and decide again, so a fan-out of N cost O(N x parallelism) reads and
/// decisions. Through a lane each report is decided once, and a batch of them costs one transaction. There is no
/// thread of its own: the caller that finds the lane idle commits for everyone who queues behind it, until the lane is
/// empty. Other processes can still commit to the run; the store's version check and the engine's retry cover them.
/// </remarks>
internal sealed class RunCommitLanes(Func<string, IReadOnlyList<CommitRequest>, CancellationToken, Task<IReadOnlyList<Decision>>> commit)
{
    /// <summary>The most reports one commit takes; bounds a transaction's size (Azure allows 100 entities in one).</summary>
    public const int MaxBatch = 64;

    private readonly Dictionary<string, Queue<CommitRequest>> _waiting = new(StringComparer.Ordinal);

    /// <summary>Decides and commits <paramref name="request"/> in its run's lane; completes with its own decision.</summary>
    public async Task<Decision> SubmitAsync(string runId, CommitRequest request)
    {
        bool drain;
        lock (_waiting)
        {
            drain = !_waiting.TryGetValue(runId, out var queue);
            if (drain)
            {
                queue = new Queue<CommitRequest>();
                _waiting.Add(runId, queue);
            }

            queue!.Enqueue(request);
        }

        if (drain)
        {
            await DrainAsync(runId).ConfigureAwait(false);
        }

        return await request.Result.Task.ConfigureAwait(false);
    }

    private async Task DrainAsync(string runId)
    {
        while (Next(runId) is { } batch)
        {
            try
            {
                // A shared commit is not cancelled by one caller's token: the others still want it, and it is short.
                var token = batch.Count == 1 ? batch[0].CancellationToken : CancellationToken.None;
                var decisions = await commit(runId, batch, token).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Result.TrySetResult(decisions[i]);
                }
            }
            catch (LeaseLostException) when (batch.Count > 1)
            {
                // One report's message was taken over by another worker; commit the others without it.
                foreach (var request in batch)
                {
                    await CommitAloneAsync(runId, request).ConfigureAwait(false);
                }
            }
#pragma warning disable CA1031 // Handed to the callers, who see it as their own commit's failure.
            catch (Exception e)
#pragma warning restore CA1031
            {
                foreach (var request in batch)
                {
                    request.Result.TrySetException(e);
                }
            }
        }
    }

    private async Task CommitAloneAsync(string runId, CommitRequest request)
    {
        try
        {
            request.Result.TrySetResult((await commit(runId, [request], request.CancellationToken).ConfigureAwait(false))[0]);
        }
#pragma warning disable CA1031 // Handed to the caller.
        catch (Exception e)
#pragma warning restore CA1031
        {
            request.Result.TrySetException(e);
        }
    }

    /// <summary>The next requests to commit together, or null (and the lane closed) when none is waiting.</summary>
    private List<CommitRequest>? Next(string runId)
    {
        lock (_waiting)
        {
            var queue = _waiting[runId];
            if (queue.Count == 0)
            {
                _waiting.Remove(runId);
                return null;
            }

            var batch = new List<CommitRequest> { queue.Dequeue() };
            while (batch[0].CanShare && batch.Count < MaxBatch && queue.TryPeek(out var next) && next.CanShare)
            {
                batch.Add(queue.Dequeue());
            }

            return batch;
        }
    }
}
