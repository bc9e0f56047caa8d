using System.Diagnostics;
using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Blocks.Scripts;
using Duraflow.Blocks.Templates;
using Duraflow.Engine.Connections;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Secrets;
using Duraflow.Engine.Storage;
using Microsoft.Extensions.Logging;
using static Duraflow.Engine.Runtime.WorkMessages;

namespace Duraflow.Engine.Workers;

/// <summary>
/// Runs one dequeued block attempt from start to commit: drops stale and duplicate messages, dead-letters poison
/// ones, keeps the lease alive while the code runs, stops the code on cancel or timeout, stores the output and
/// reports the outcome in one commit that also deletes the message. The start is decided before the code runs but
/// committed with the outcome, unless the attempt outlasts <see cref="EngineOptions.RecordStartAfter"/>
/// (see <see cref="DeferredStart"/>): a fast block costs one commit and, when this process dispatched it, no read.
/// The attempt's connections and secrets are those of the project's files when it starts
/// (<see cref="ReloadingConnections"/>).
/// </summary>
internal sealed class BlockAttemptRunner(RunCommitter committer, IBlockExecutor executor, ReloadingConnections? connections = null)
{
    /// <summary>Runs the attempt in <paramref name="work"/>; <paramref name="stopping"/> means the worker is shutting down.</summary>
    public async Task RunAsync(LeasedWork work, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(work);
        var message = Read<BlockWork>(work);

        // Usually the snapshot this process committed when it dispatched the block; a cached one that calls the
        // message stale is checked against the store first.
        var stored = await committer.ReadRunAsync(work.RunId, state => InFlight(state, message), stopping).ConfigureAwait(false);
        if (stored is null)
        {
            await committer.Queues.CompleteAsync(work, stopping).ConfigureAwait(false);
            return;
        }

        if (work.Deliveries > committer.Options.MaxDeliveries)
        {
            var reason = $"{message.Key} attempt {message.Attempt} was delivered {work.Deliveries - 1} times and never finished: the worker running it "
                + $"stopped each time (a crash, a kill or an expired lease), so it was dead-lettered instead of being tried again";
            await committer.ApplyAsync(work.RunId, new BlockFailed(Now, message.Key, message.Attempt, reason, Retryable: false),
                new RunCommitExtras { Consumed = work, DeadLetterReason = reason }, stopping).ConfigureAwait(false);
            return;
        }

        var state = stored.State;
        var inFlight = InFlight(state, message);
        if (inFlight && state.Status == RunStatus.Cancelling)
        {
            // Left running by a worker that died; the run is being cancelled, so record it as stopped.
            await committer.ApplyAsync(work.RunId, new BlockCancelled(Now, message.Key, message.Attempt), new RunCommitExtras { Consumed = work }, stopping).ConfigureAwait(false);
            return;
        }

        if (!inFlight || state.Status != RunStatus.Running)
        {
            await committer.Queues.CompleteAsync(work, stopping).ConfigureAwait(false);
            return;
        }

        // Deferred, the start is decided here (the decider's checks, no I/O) and committed later; else before running.
        var plan = await committer.PlanAsync(state.DefinitionHash, stopping).ConfigureAwait(false);
        var start = new BlockStarted(Now, message.Key, message.Attempt, committer.Options.WorkerId);
        var deferred = committer.Options.RecordStartAfter > TimeSpan.Zero;
        var started = deferred
            ? RunDecider.Decide(plan, state, start)
            : await committer.ApplyAsync(work.RunId, start, null, stopping).ConfigureAwait(false);
        if (!started.Accepted)
        {
            await committer.Queues.CompleteAsync(work, stopping).ConfigureAwait(false);
            return;
        }

        await ExecuteAsync(work, message, plan, started.State, deferred ? start : null, stopping).ConfigureAwait(false);
    }

    private static bool InFlight(RunState state, BlockWork message) =>
        state.Blocks.GetValueOrDefault(message.Key) is { Status: BlockStatus.Scheduled or BlockStatus.Running } block && block.Attempt == message.Attempt;

    private DateTimeOffset Now => committer.Time.GetUtcNow();

    /// <summary>Runs the attempt; <paramref name="start"/> is its start when not committed yet.</summary>
    private async Task ExecuteAsync(LeasedWork work, BlockWork message, RunPlan plan, RunState state, BlockStarted? start, CancellationToken stopping)
    {
        var (name, index) = InstanceKeys.Parse(message.Key);
        var block = plan.Block(name);
        var log = new BlockLog(message.Key, message.Attempt, committer.Time);
        using var activity = EngineTelemetry.StartRunActivity("duraflow.block", work.RunId);
        activity?.SetTag("duraflow.pipeline", plan.Pipeline);
        activity?.SetTag("duraflow.block.key", message.Key);
        activity?.SetTag("duraflow.block.attempt", message.Attempt);
        var began = Stopwatch.GetTimestamp();
        using var attempt = new AttemptCancellation(block.Timeout, stopping);
        committer.Running.Add(work.RunId, message.Key, attempt.Source);
        using var deferred = start is null ? null : new DeferredStart(committer, work.RunId, start, attempt);
        var keeper = KeepLeaseAsync(work, message, attempt);
        AttemptOutcome outcome;
        string? error = null;
        var retryable = true;
        var output = BlockValue.Null;
        BlockContext? context = null;
        var workDirectory = Path.Combine(committer.Artifacts.ScratchDirectory, $"{Guid.NewGuid():N}");
        try
        {
            var inputs = await BlockInputs.ReadAsync(committer.Artifacts, plan, state, block, index, attempt.Token).ConfigureAwait(false);

            // One version for the whole attempt: an edit of io_config.yaml while it runs applies from the next one.
            var current = connections?.Current();
            context = new BlockContext
            {
                RunId = work.RunId,
                Pipeline = plan.Pipeline,
                Block = name,
                ItemIndex = index,
                Attempt = message.Attempt,
                IdempotencyKey = $"{work.RunId}/{message.Key}/{message.Attempt}",
                Parameters = state.Parameters,
                ParameterTypes = plan.ParameterTypeNames,
                Run = RunValues(state),
                Trigger = state.TriggerValues,
                Inputs = inputs,
                FanOut = block.FanOut && index is null,
                WorkDirectory = workDirectory,
                ProjectRoot = committer.Options.ProjectRoot,
                FileRoots = committer.Options.FileRoots,
                Logger = log,
                Connections = (IConnections?)current ?? NoConnections.Instance,
                Secrets = (ISecrets?)current ?? NoConnections.Instance,
                CancellationToken = attempt.Token,
                ReadCheckpoint = (checkpointName, token) => committer.Store.GetCheckpointAsync(plan.Pipeline, checkpointName, token),
            };
            if (block.When is { } when && !WhenExpression.Evaluate(when, (await TemplateValues.ForAsync(context, [when]).ConfigureAwait(false)).Resolve))
            {
                outcome = AttemptOutcome.Skipped;
                error = $"when was false: {when}";
            }
            else
            {
                using (BlockConsole.Capture(log))
                {
                    output = await executor.ExecuteAsync(plan, block, context).ConfigureAwait(false);
                }

                outcome = AttemptOutcome.Succeeded;
            }
        }
        catch (OperationCanceledException) when (attempt.IsCancellationRequested)
        {
            (outcome, error) = attempt.Reason(block.Timeout);
        }
        catch (Exception ex) when (ex is NonRetryableBlockException or ScriptCompilationException or WhenExpressionException)
        {
            (outcome, error, retryable) = (AttemptOutcome.Failed, ex.Message, false);
            LogFailure(log, ex);
        }
#pragma warning disable CA1031 // Block code may throw anything; every failure must become a recorded, retryable outcome.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            (outcome, error) = (AttemptOutcome.Failed, $"{ex.GetType().Name}: {ex.Message}");
            LogFailure(log, ex);
        }
        finally
        {
            committer.Running.Remove(work.RunId, message.Key);
            if (deferred is not null)
            {
                // Before the outcome's commit, so the two never race; it never throws.
                await deferred.StopAsync().ConfigureAwait(false);
            }

            await attempt.StopKeepingAsync(keeper).ConfigureAwait(false);
        }

        // Made after the attempt, so it knows the secrets the block read; this run's secret parameters are redacted
        // like them from its logs, errors and outputs, but are not added to the process's redactor, where a value a
        // caller chose ("https") would mask every later run's data.
        var redactor = AttemptRedactor(plan, state);
        Measure(activity, plan.Pipeline, outcome, error is null || redactor is null ? error : redactor.Redact(error), began);
        try
        {
            await ReportAsync(work, message, block, outcome, output, error, retryable, log, context, attempt, deferred, redactor).ConfigureAwait(false);
        }
        finally
        {
            DeleteWorkDirectory(workDirectory, log);
        }
    }

    private SecretRedactor? AttemptRedactor(RunPlan plan, RunState state)
    {
        var secretParameters = SecretParameters.Values(state.Parameters, plan).ToList();
        return secretParameters.Count == 0 ? connections?.Redactor : (connections?.Redactor ?? new SecretRedactor()).With(secretParameters);
    }

    // The attempt's span and metrics; the error comes redacted: a secret a block read must not reach a trace.
    private static void Measure(Activity? activity, string pipeline, AttemptOutcome outcome, string? error, long began)
    {
        var name = outcome.ToString().ToLowerInvariant();
        activity?.SetTag(EngineTelemetry.BlockOutcome, name);
        if (outcome == AttemptOutcome.Failed)
        {
            activity?.SetStatus(ActivityStatusCode.Error, error);
        }

        var tags = new TagList { { "duraflow.pipeline", pipeline }, { EngineTelemetry.BlockOutcome, name } };
        EngineTelemetry.BlockAttempts.Add(1, tags);
        EngineTelemetry.BlockDuration.Record(Stopwatch.GetElapsedTime(began).TotalSeconds, tags);
    }

    private static void DeleteWorkDirectory(string path, BlockLog log)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException e)
        {
            // Leftover scratch files cost disk, not correctness; say so rather than fail a finished attempt.
            log.Write(LogLevel.Warning, $"could not remove the attempt's work folder {path}: {e.Message}");
        }
    }

    private async Task ReportAsync(
        LeasedWork work, BlockWork message, BlockPlan block, AttemptOutcome outcome, BlockValue output, string? error, bool retryable,
        BlockLog log, BlockContext? context, AttemptCancellation attempt, DeferredStart? deferred, SecretRedactor? redactor)
    {
        IReadOnlyList<RunEvent> WithStart(RunEvent report) => deferred?.With(report) ?? [report];

        if (attempt.LeaseLost || outcome == AttemptOutcome.Abandoned)
        {
            // Another worker owns the message now (or this one is shutting down): its result is the one that counts.
            if (!attempt.LeaseLost)
            {
                await committer.Queues.ReleaseAsync(work, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
            }

            return;
        }

        // Secret values read during the attempt never reach the store: not in logs, errors or JSON outputs.
        var extras = new RunCommitExtras { Consumed = work, Logs = redactor is null ? log.Lines : [.. log.Lines.Select(l => l with { Message = redactor.Redact(l.Message) })] };
        error = error is null || redactor is null ? error : redactor.Redact(error);
        RunEvent report;
        if (outcome == AttemptOutcome.Succeeded)
        {
            int? items = null;
            if (block.FanOut && InstanceKeys.Parse(message.Key).Index is null)
            {
                // A fan-out block's items are JSON values, one message each; a table's rows become the items.
                var list = output.AsJson();
                if (list.ValueKind != JsonValueKind.Array)
                {
                    report = new BlockFailed(Now, message.Key, message.Attempt,
                        $"fan-out block {block.Name} must return a list (its items each run the blocks that read it), but it returned {Describe(list)}", Retryable: false);
                    await CommitAsync(work.RunId, WithStart(report), extras).ConfigureAwait(false);
                    return;
                }

                output = BlockValue.Of(list);
                items = list.GetArrayLength();
            }

            var key = await BlockOutputs.StoreAsync(committer.Artifacts, work.RunId, message.Key, message.Attempt, output, redactor).ConfigureAwait(false);
            var metrics = context?.Metrics is { Count: > 0 } measured ? new Dictionary<string, double>(measured, StringComparer.Ordinal) : null;
            report = new BlockSucceeded(Now, message.Key, message.Attempt, key, items, Metrics: metrics);
            extras = extras with { Checkpoints = context?.CheckpointUpdates ?? new Dictionary<string, JsonElement>() };
        }
        else
        {
            report = outcome switch
            {
                AttemptOutcome.Skipped => new BlockSkipped(Now, message.Key, error!, message.Attempt),
                AttemptOutcome.Cancelled => new BlockCancelled(Now, message.Key, message.Attempt),
                _ => new BlockFailed(Now, message.Key, message.Attempt, error ?? "failed", retryable),
            };
        }

        await CommitAsync(work.RunId, WithStart(report), extras).ConfigureAwait(false);
    }

    private async Task CommitAsync(string runId, IReadOnlyList<RunEvent> reports, RunCommitExtras extras)
    {
        try
        {
            // Not cancellable: the outcome is already paid for, and the commit is one short transaction.
            await committer.ApplyAsync(runId, reports, extras, CancellationToken.None).ConfigureAwait(false);
        }
        catch (LeaseLostException)
        {
            // The lease ended during the commit's preparation; the redelivered attempt will report instead.
        }
    }

    private async Task KeepLeaseAsync(LeasedWork work, BlockWork message, AttemptCancellation attempt)
    {
        var every = committer.Options.Lease / 3;
        while (!attempt.KeeperStopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, committer.Time, attempt.KeeperStopping).ConfigureAwait(false);
                if (!await committer.Queues.RenewAsync(work, committer.Options.Lease, attempt.KeeperStopping).ConfigureAwait(false))
                {
                    attempt.Cancel(AttemptCancellation.Why.LeaseLost);
                    return;
                }

                // A cancel committed by another process reaches this worker here. Read from the store, not the
                // cache: only another process can have changed the run. Scheduled is fine too: the start may not be
                // recorded yet (EngineOptions.RecordStartAfter).
                var run = await committer.Store.GetRunAsync(work.RunId, attempt.KeeperStopping).ConfigureAwait(false);
                if (run is null || run.State.Status != RunStatus.Running || !InFlight(run.State, message))
                {
                    attempt.Cancel(AttemptCancellation.Why.RunCancelled);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // The user's frames at error level; the whole trace, with Duraflow's own frames, at debug for whoever needs it.
    private void LogFailure(BlockLog log, Exception exception)
    {
        log.Write(LogLevel.Error, FailureText.Of(exception, committer.Options.ProjectRoot));
        log.Write(LogLevel.Debug, exception.ToString());
    }

    private static Dictionary<string, JsonElement> RunValues(RunState state) => new(StringComparer.Ordinal)
    {
        ["id"] = JsonSerializer.SerializeToElement(state.RunId),
        ["pipeline"] = JsonSerializer.SerializeToElement(state.Pipeline),
        ["trigger"] = JsonSerializer.SerializeToElement(state.Trigger),
        // A scheduled run's time is the tick it was started for, not when the tick was noticed.
        ["scheduled_time"] = state.TriggerValues.TryGetValue("scheduled_time", out var scheduled) ? scheduled : JsonSerializer.SerializeToElement(state.RequestedAt),
        ["started_at"] = JsonSerializer.SerializeToElement(state.StartedAt ?? state.RequestedAt),
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "nothing",
    };
}
