using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using static Duraflow.Engine.Runtime.WorkMessages;

namespace Duraflow.Engine.Workers;

/// <summary>
/// One worker process: an orchestration loop (run starts and durable timers), a pool running up to
/// <see cref="EngineOptions.Parallelism"/> block attempts at once, and an alert loop that sends alerts apart from both,
/// so a slow receiver never holds up a run. Each wakes on this process's commits and otherwise
/// look for work when the next message is due or every <see cref="EngineOptions.IdlePoll"/>, which picks up work that
/// other processes added and messages whose lease expired after a crash.
/// </summary>
internal sealed class WorkerHost(RunCommitter committer, BlockAttemptRunner runner, AlertDelivery? alerts = null)
{
    // Run starts and timers dequeued at once; the most an Azure queue receive returns.
    private const int OrchestrationBatch = 32;

    // Alerts sent at once: a dead receiver costs its timeout, and must not make the others wait that long in turn.
    private const int AlertBatch = 16;

    private readonly AlertDelivery _alerts = alerts ?? AlertDelivery.WithoutSecrets(committer);

    /// <summary>Sends the alerts this process receives; hosts subscribe to its <see cref="AlertDelivery.Recorded"/>.</summary>
    public AlertDelivery Alerts => _alerts;

    /// <summary>Raised when handling a message failed outside block code (a storage error, a bug); the message is delivered again.</summary>
    public event EventHandler<WorkFailure>? WorkFailed;

    /// <summary>
    /// Runs both loops, and the store's background duties when it has any, until <paramref name="stopping"/> fires;
    /// in-flight attempts are given back, not lost.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var loops = new List<Task>
        {
            Task.Run(() => OrchestrateAsync(stopping), CancellationToken.None),
            Task.Run(() => RunBlocksAsync(stopping), CancellationToken.None),
            Task.Run(() => RunAlertLoopAsync(stopping), CancellationToken.None),
        };
        if (committer.Store is IStoreMaintenance maintained)
        {
            loops.Add(Task.Run(() => maintained.RunMaintenanceAsync(stopping), CancellationToken.None));
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    /// <summary>
    /// Handles one message that something else received, such as the Azure Functions host's queue trigger: a run start
    /// or timer from <see cref="WorkQueues.Orchestration"/>, a block attempt from <see cref="WorkQueues.Blocks"/>, or an
    /// alert from <see cref="WorkQueues.Alerts"/>.
    /// The store must already hold its lease (see <c>AzureStore.AdoptDeliveredAsync</c>).
    /// </summary>
    /// <remarks>
    /// A failure outside block code is reported as the pollers report theirs (<see cref="WorkFailed"/> and the work
    /// failures metric) and thrown, so the caller fails the delivery and the message is delivered again.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="work"/> is from none of the queues.</exception>
    public async Task HandleDeliveredAsync(LeasedWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (work.Queue is not (WorkQueues.Orchestration or WorkQueues.Blocks or WorkQueues.Alerts))
        {
            throw new ArgumentException($"no handler for messages of queue '{work.Queue}'", nameof(work));
        }

        EngineTelemetry.RecordLag(work, committer.Time.GetUtcNow());

        try
        {
            await (work.Queue switch
            {
                WorkQueues.Orchestration => HandleAsync(work, cancellationToken),
                WorkQueues.Alerts => _alerts.DeliverAsync(work, cancellationToken),
                _ => runner.RunAsync(work, cancellationToken),
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Report(work.Queue, work, e);
            throw;
        }
    }

    private void RecordLag(IReadOnlyList<LeasedWork> items)
    {
        var now = committer.Time.GetUtcNow();
        foreach (var item in items)
        {
            EngineTelemetry.RecordLag(item, now);
        }
    }

    // Run starts and timers, one after the other: they are commits, short, and a run's commits go through one lane anyway.
    private Task OrchestrateAsync(CancellationToken stopping) => PollAsync(WorkQueues.Orchestration, OrchestrationBatch, async items =>
    {
        foreach (var item in items)
        {
            await HandleOneAsync(item, HandleAsync, stopping).ConfigureAwait(false);
        }
    }, stopping);

    /// <summary>
    /// The alert loop alone, for a process whose runs something else carries out (the Durable runtime in
    /// <c>duraflow run</c>). Alerts of a batch go at once: each waits on a receiver, and a dead one must not hold up the
    /// rest for its timeout.
    /// </summary>
    public Task RunAlertLoopAsync(CancellationToken stopping) => PollAsync(WorkQueues.Alerts, AlertBatch, items =>
        Task.WhenAll(items.Select(item => Task.Run(() => HandleOneAsync(item, _alerts.DeliverAsync, stopping), CancellationToken.None))), stopping);

    // The loop of a queue whose messages are handled a batch at a time: a short batch means the queue is drained, so
    // the loop waits for a signal instead of paying for an empty poll; a store that is briefly unreachable must not stop
    // the worker: the messages' leases end and they are delivered again, so waiting a poll interval loses nothing.
    private async Task PollAsync(string queue, int batch, Func<IReadOnlyList<LeasedWork>, Task> handle, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var items = await committer.Queues.DequeueAsync(queue, batch, committer.Options.Lease, stopping).ConfigureAwait(false);
                RecordLag(items);
                await handle(items).ConfigureAwait(false);
                if (items.Count < batch)
                {
                    await WaitForWorkAsync(queue, stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsTransient(e))
            {
                Report(queue, null, e);
                await WaitAfterFailureAsync(stopping).ConfigureAwait(false);
            }
        }
    }

    // One message whose handling fails is reported and its lease ends, so it is delivered again; the others go on.
    private async Task HandleOneAsync(LeasedWork item, Func<LeasedWork, CancellationToken, Task> handle, CancellationToken stopping)
    {
        try
        {
            await handle(item, stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            Report(item.Queue, item, e);
        }
    }

    private async Task HandleAsync(LeasedWork item, CancellationToken stopping)
    {
        var message = Read<OrchestrationWork>(item);
        using var received = EngineTelemetry.StartReceiveActivity(item.RunId, item.Queue, message.TraceParent);
        if (message.Event is { } timer)
        {
            await committer.ApplyAsync(item.RunId, TimerEvents.FiredAt(timer, committer.Time.GetUtcNow()), new RunCommitExtras { Consumed = item }, stopping).ConfigureAwait(false);
            return;
        }

        // A start for a run that is no longer pending is rejected by the decider, which also deletes the message.
        try
        {
            await committer.ApplyAsync(item.RunId, new RunStarted(committer.Time.GetUtcNow()), new RunCommitExtras { Consumed = item, EnforceConcurrency = true }, stopping).ConfigureAwait(false);
        }
        catch (ConcurrencyLimitReachedException)
        {
            // Every slot is taken by a running run; ask again shortly. Slots are run statuses, not counters, so a run
            // whose process died still gives its slot back when another worker finishes or fails it.
            await committer.Queues.ReleaseAsync(item, committer.Options.SlotPoll, stopping).ConfigureAwait(false);
        }
    }

    private async Task RunBlocksAsync(CancellationToken stopping)
    {
        using var slots = new SemaphoreSlim(committer.Options.Parallelism);
        var inFlight = new List<Task>();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stopping).ConfigureAwait(false);
                slots.Release();
                var wanted = slots.CurrentCount;
                var items = await committer.Queues.DequeueAsync(WorkQueues.Blocks, wanted, committer.Options.Lease, stopping).ConfigureAwait(false);
                RecordLag(items);
                foreach (var item in items)
                {
                    await slots.WaitAsync(stopping).ConfigureAwait(false);
                    inFlight.Add(Task.Run(async () =>
                    {
                        try
                        {
                            await runner.RunAsync(item, stopping).ConfigureAwait(false);
                        }
                        catch (Exception e) when (!stopping.IsCancellationRequested)
                        {
                            // The message's lease ends and it is delivered again (and dead-lettered if it keeps failing);
                            // say why, since nothing else will.
                            Report(item.Queue, item, e);
                        }
                        finally
                        {
                            // Only a loop waiting for a free slot needs waking, and the release does that; a loop
                            // waiting for work wakes on the commit that adds it.
                            slots.Release();
                        }
                    }, CancellationToken.None));
                }

                inFlight.RemoveAll(t => t.IsCompleted);

                // Fewer than asked for means the queue is drained for now; a finishing block or a local commit wakes
                // the loop at once, work of other processes within the idle poll.
                if (items.Count < wanted)
                {
                    await WaitForWorkAsync(WorkQueues.Blocks, stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (IsTransient(e))
            {
                // As in the orchestration loop: reported, then tried again after a poll interval.
                Report(WorkQueues.Blocks, null, e);
                await WaitAfterFailureAsync(stopping).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(inFlight).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
    }

    // All loops report a failure outside block code the same way: to WorkFailed (which hosts log, exception and all)
    // and to the work failures metric.
    private void Report(string queue, LeasedWork? work, Exception error)
    {
        EngineTelemetry.WorkFailures.Add(1, new KeyValuePair<string, object?>(EngineTelemetry.Queue, queue));
        WorkFailed?.Invoke(this, new WorkFailure(work, error));
    }

    // Storage and network failures (each store says its own as StoreUnavailableException). A bug (anything else)
    // outside handling one message, in dequeueing or waiting, still stops the worker loudly; a message whose handling
    // fails is reported and delivered again, and dead-lettered once it has failed MaxDeliveries times.
    private static bool IsTransient(Exception e) => e is StoreUnavailableException or IOException or TimeoutException or System.Net.Http.HttpRequestException
        || (e is OperationCanceledException && e.InnerException is TimeoutException);

    private async Task WaitAfterFailureAsync(CancellationToken stopping)
    {
        try
        {
            await Task.Delay(committer.Options.IdlePoll, committer.Time, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping anyway.
        }
    }

    private async Task WaitForWorkAsync(string queue, CancellationToken stopping)
    {
        var next = await committer.Queues.NextVisibleAtAsync(queue, stopping).ConfigureAwait(false);
        var wait = committer.Options.IdlePoll;
        if (next is { } due && due - committer.Time.GetUtcNow() < wait)
        {
            wait = due - committer.Time.GetUtcNow();
        }

        var signal = queue switch
        {
            WorkQueues.Orchestration => committer.OrchestrationSignal,
            WorkQueues.Alerts => committer.AlertSignal,
            _ => committer.Signal,
        };
        await signal.WaitAsync(wait, stopping).ConfigureAwait(false);
    }
}
