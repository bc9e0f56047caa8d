using System.Diagnostics;
using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Blocks.BuiltIns;
using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Scripts;
using Duraflow.Blocks.Templates;
using Duraflow.Engine.Connections;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Secrets;
using Duraflow.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Duraflow.Engine.Workers;

/// <summary>
/// One block attempt, whichever runtime asked for it: reads the block's inputs, evaluates its <c>when</c>, runs its
/// code with the connections of the project's files, stores its output and says what happened as the event to report,
/// with the attempt's log lines and checkpoint updates, secrets redacted. The caller owns how the attempt is stopped
/// (<see cref="AttemptCancellation"/>) and where the report goes: the <c>duraflow</c> runtime commits it with the
/// consumed message (<see cref="BlockAttemptRunner"/>), the <c>durable</c> runtime returns it to its orchestrator.
/// </summary>
internal sealed class BlockAttempt(RunCommitter committer, IBlockExecutor executor, ReloadingConnections? connections = null)
{
    private readonly FanOutLists _fanOutLists = new();
    private readonly BlockCache _cache = new(committer.Store, committer.Artifacts, committer.Time);

    /// <summary>Runs attempt <paramref name="attempt"/> of <paramref name="key"/> in run state <paramref name="state"/>.</summary>
    /// <returns>The report, or null when the attempt was abandoned (its worker is stopping or lost the lease) and must not be reported.</returns>
    public async Task<AttemptReport?> RunAsync(string runId, RunPlan plan, RunState state, string key, int attempt, AttemptCancellation cancellation)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(cancellation);
        var (name, index) = InstanceKeys.Parse(key);
        var block = plan.Block(name);
        var log = new BlockLog(key, attempt, committer.Time);
        using var activity = EngineTelemetry.StartRunActivity("duraflow.block", runId);
        activity?.SetTag("duraflow.pipeline", plan.Pipeline);
        activity?.SetTag("duraflow.block.key", key);
        activity?.SetTag("duraflow.block.attempt", attempt);
        var began = Stopwatch.GetTimestamp();
        AttemptOutcome outcome;
        string? error = null;
        var retryable = true;
        IReadOnlyList<string>? errorTypes = null;

        // Until the block's code runs, a failure is the platform's (its inputs could not be read from the store):
        // retry.on and retry.not_on judge only the block's own errors, so such a failure records no types.
        var running = false;
        var output = BlockValue.Null;
        BlockWaiting? waiting = null;
        BlockContext? context = null;
        (string? Key, BlockSucceeded? Hit) cache = (null, null);
        var workDirectory = Path.Combine(committer.Artifacts.ScratchDirectory, $"{Guid.NewGuid():N}");
        try
        {
            try
            {
                var inputs = await BlockInputs.ReadAsync(committer.Artifacts, _fanOutLists, plan, state, block, index, cancellation.Token).ConfigureAwait(false);

                // One version for the whole attempt: an edit of io_config.yaml while it runs applies from the next one.
                var current = connections?.Current();
                context = new BlockContext
                {
                    RunId = runId,
                    Pipeline = plan.Pipeline,
                    Block = name,
                    ItemIndex = index,
                    Attempt = attempt,
                    IdempotencyKey = $"{runId}/{key}/{attempt}",
                    Parameters = state.Parameters,
                    ParameterTypes = plan.ParameterTypeNames,
                    Run = RunTemplateValues.Of(state),
                    Trigger = state.TriggerValues,
                    Inputs = inputs,
                    FanOut = block.FanOut && index is null,
                    WorkDirectory = workDirectory,
                    ProjectRoot = committer.Options.ProjectRoot,
                    FileRoots = committer.Options.FileRoots,
                    Logger = log,
                    Connections = (IConnections?)current ?? NoConnections.Instance,
                    Secrets = (ISecrets?)current ?? NoConnections.Instance,
                    CancellationToken = cancellation.Token,
                    ReadCheckpoint = (checkpointName, token) => committer.Store.GetCheckpointAsync(plan.Pipeline, checkpointName, token),
                };
                if (block.When is { } when && !WhenExpression.Evaluate(when, (await TemplateValues.ForAsync(context, [when]).ConfigureAwait(false)).Resolve))
                {
                    outcome = AttemptOutcome.Skipped;
                    error = $"when was false: {when}";
                }
                else if (block.Cache is not null
                    && (cache = await LookUpAsync(runId, plan, block, key, attempt, context, log).ConfigureAwait(false)).Hit is not null)
                {
                    outcome = AttemptOutcome.Cached;
                }
                else if (block.Uses.Kind == BlockKind.Pipeline)
                {
                    // The child run does the work; this attempt starts it (once: the attempt is its idempotency key) and
                    // the block waits for it without a worker.
                    var parameters = await ChildParameters.RenderAsync(block, context).ConfigureAwait(false);
                    var child = await committer.Children.StartAsync(
                        block.Uses.Target, parameters, new ParentRun(runId, key, attempt, state.Round), state.Runtime, cancellation.Token).ConfigureAwait(false);
                    log.Write(LogLevel.Information, $"started child run {child} of pipeline {block.Uses.Target}");
                    (waiting, outcome) = (new BlockWaiting(Now, key, attempt, null, WaitKinds.Pipeline, Child: child), AttemptOutcome.Waiting);
                }
                else if (await TakeLimitsAsync(state, key, attempt, block, log, cancellation.Token).ConfigureAwait(false) is { Hold: var hold, Waiting: var refused }
                    && refused is not null)
                {
                    (waiting, outcome) = (refused, AttemptOutcome.Waiting);
                }
                else
                {
                    // The block's limits are held while its code runs, and given back as soon as it ends.
                    await using (hold)
                    {
                        using (BlockConsole.Capture(log))
                        {
                            running = true;
                            output = await executor.ExecuteAsync(plan, block, context).ConfigureAwait(false);
                        }
                    }

                    outcome = AttemptOutcome.Succeeded;
                    if (block.Repeat is { } repeat && !await UntilHoldsAsync(repeat, context, output, log).ConfigureAwait(false))
                    {
                        outcome = AttemptOutcome.UntilFalse;
                    }
                    else if (block.Uses is { IsWait: true } uses)
                    {
                        // One clock reading: the wait is recorded from the time its end was counted from.
                        var now = Now;
                        var (until, signal, skipOnTimeout) = WaitBlocks.Read(name, output.AsJson(), now);
                        waiting = new BlockWaiting(now, key, attempt, until, uses.Target, signal, skipOnTimeout);
                        outcome = AttemptOutcome.Waiting;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                (outcome, error) = cancellation.Reason(block.Timeout);
                errorTypes = outcome == AttemptOutcome.Failed ? ErrorTypes.TimedOut : null;
            }
            catch (Exception ex) when (ex is NonRetryableBlockException or ScriptCompilationException or WhenExpressionException)
            {
                (outcome, error, retryable, errorTypes) = (AttemptOutcome.Failed, ex.Message, false, ErrorTypes.Of(ex));
                LogFailure(log, ex);
            }
#pragma warning disable CA1031 // Block code may throw anything; every failure must become a recorded, retryable outcome.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                (outcome, error, errorTypes) = (AttemptOutcome.Failed, $"{ex.GetType().Name}: {ex.Message}", running ? ErrorTypes.Of(ex) : null);
                LogFailure(log, ex);
            }

            // Made after the attempt, so it knows the secrets the block read; this run's secret parameters are redacted
            // like them from its logs, errors and outputs, but are not added to the process's redactor, where a value a
            // caller chose ("https") would mask every later run's data.
            var redactor = AttemptRedactor(plan, state);
            Measure(activity, plan.Pipeline, outcome, error is null || redactor is null ? error : redactor.Redact(error), began);
            return outcome == AttemptOutcome.Abandoned || cancellation.LeaseLost
                ? null
                : await ReportAsync(runId, (plan, block, cache), key, attempt, (outcome, waiting), output, error, (retryable, errorTypes), log, context, redactor)
                    .ConfigureAwait(false);
        }
        finally
        {
            DeleteWorkDirectory(workDirectory, log);
        }
    }

    private DateTimeOffset Now => committer.Time.GetUtcNow();

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

    // A cached block's key and the hit it found, when it uses the cache and its code did not run; a lookup that fails
    // is a miss, since computing again is always correct.
    private async Task<(string? Key, BlockSucceeded? Hit)> LookUpAsync(
        string runId, RunPlan plan, BlockPlan block, string key, int attempt, BlockContext context, BlockLog log)
    {
        var cacheKey = await BlockCacheKey.ComputeAsync(plan, block, context, executor.CodeIdentity(block)).ConfigureAwait(false);
        try
        {
            if (await _cache.FindAsync(plan, block, cacheKey, context.CancellationToken).ConfigureAwait(false) is { } entry
                && await _cache.CopyAsync(entry, runId, key, attempt, context.CancellationToken).ConfigureAwait(false) is { } output)
            {
                log.Write(LogLevel.Information, BlockCache.Describe(entry, Now));
                return (cacheKey, new BlockSucceeded(Now, key, attempt, output, entry.Items, Cached: true, CachedFrom: entry.RunId));
            }
        }
        catch (Exception e) when (e is StoreUnavailableException or IOException)
        {
            log.Write(LogLevel.Warning, $"the cache could not be read ({e.Message}); the block runs");
        }

        log.Write(LogLevel.Debug, $"cache miss for key {cacheKey}");
        return (cacheKey, null);
    }

    private async Task<AttemptReport> ReportAsync(
        string runId, (RunPlan Plan, BlockPlan Block, (string? Key, BlockSucceeded? Hit) Cache) cached, string key, int attempt,
        (AttemptOutcome Outcome, BlockWaiting? Waiting) ended, BlockValue output, string? error,
        (bool Retryable, IReadOnlyList<string>? Types) failure, BlockLog log, BlockContext? context, SecretRedactor? redactor)
    {
        // Secret values read during the attempt never reach the store: not in logs, errors or JSON outputs.
        var logs = redactor is null ? log.Lines : [.. log.Lines.Select(l => l with { Message = redactor.Redact(l.Message) })];
        error = error is null || redactor is null ? error : redactor.Redact(error);
        var outcome = ended.Outcome;
        var block = cached.Block;
        if (cached.Cache.Hit is { } hit)
        {
            // Nothing ran, so the block set no checkpoints.
            return new AttemptReport(hit, logs);
        }
        if (outcome is not (AttemptOutcome.Succeeded or AttemptOutcome.UntilFalse))
        {
            RunEvent report = outcome switch
            {
                AttemptOutcome.Waiting => ended.Waiting!,
                AttemptOutcome.Skipped => new BlockSkipped(Now, key, error!, attempt),
                AttemptOutcome.Cancelled => new BlockCancelled(Now, key, attempt),
                _ => new BlockFailed(Now, key, attempt, error ?? "failed", failure.Retryable, failure.Types),
            };
            return new AttemptReport(report, logs);
        }

        var metrics = context?.Metrics is { Count: > 0 } measured ? new Dictionary<string, double>(measured, StringComparer.Ordinal) : null;
        if (outcome == AttemptOutcome.UntilFalse)
        {
            // Kept as the block's latest output for whoever looks; only the run that satisfies until passes one on.
            var latest = await BlockOutputs.StoreAsync(committer.Artifacts, runId, key, attempt, output, redactor).ConfigureAwait(false);
            // What a run that did not satisfy until set is dropped: only the run that passes its output on stages checkpoints.
            return new AttemptReport(new BlockUntilFalse(Now, key, attempt, latest, metrics), logs);
        }

        int? items = null;
        if (block.FanOut && InstanceKeys.Parse(key).Index is null)
        {
            // A fan-out block's items are JSON values, one message each; a table's rows become the items.
            var list = output.AsJson();
            if (list.ValueKind != JsonValueKind.Array)
            {
                var notAList = new BlockFailed(Now, key, attempt,
                    $"fan-out block {block.Name} must return a list (its items each run the blocks that read it), but it returned {Describe(list)}", Retryable: false);
                return new AttemptReport(notAList, logs);
            }

            output = BlockValue.Of(list);
            items = list.GetArrayLength();
        }

        var stored = await BlockOutputs.StoreAsync(committer.Artifacts, runId, key, attempt, output, redactor).ConfigureAwait(false);
        var checkpoints = context?.CheckpointUpdates is { Count: > 0 } set ? new Dictionary<string, JsonElement>(set, StringComparer.Ordinal) : null;
        var succeeded = new BlockSucceeded(Now, key, attempt, stored, items, Metrics: metrics, Checkpoints: checkpoints);
        if (cached.Cache.Key is { } cacheKey && await KeepAsync(runId, cached.Plan, block, cacheKey, succeeded).ConfigureAwait(false) is { } warning)
        {
            logs = [.. logs, warning];
        }

        return new AttemptReport(succeeded, logs);
    }

    // Kept before the outcome is reported: a run that reads it meanwhile finds an output that is already stored. A
    // store that does not take it costs a later run a computation, not this one its result.
    private async Task<LogLine?> KeepAsync(string runId, RunPlan plan, BlockPlan block, string cacheKey, BlockSucceeded succeeded)
    {
        try
        {
            await _cache.StoreAsync(plan, block, cacheKey, succeeded, runId, CancellationToken.None).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is StoreUnavailableException or IOException)
        {
            return new LogLine(Now, succeeded.Key, succeeded.Attempt, "warning", $"the output could not be cached ({e.Message}); the next run computes it again");
        }
    }

    // Takes the block's named limits for this attempt: the hold to run under, or, when one is at its bound, the wait
    // for it (no worker is held meanwhile: the attempt ends here and the block is scheduled again when the wait ends).
    private async Task<(LimitHold? Hold, BlockWaiting? Waiting)> TakeLimitsAsync(
        RunState state, string key, int attempt, BlockPlan block, BlockLog log, CancellationToken cancellationToken)
    {
        if (block.Limits is not { Count: > 0 } limits)
        {
            return (null, null);
        }

        // A token per take, not the attempt: a redelivered attempt (its first worker lost the lease, perhaps still
        // running) takes a share of its own, and the first one's give-back cannot free the second's.
        var poll = NamedLimits.PollAfter(state.Block(key).LimitWaits);
        var (hold, refused, retryAt) = await committer.Limits.TakeAsync(limits, Guid.NewGuid().ToString("N"), poll, cancellationToken).ConfigureAwait(false);
        if (refused is null)
        {
            return (hold, null);
        }

        log.Write(LogLevel.Information, $"limit '{refused}' is at its bound; the block asks again at {retryAt.UtcDateTime:HH:mm:ss.fff}Z, holding no worker");
        return (null, new BlockWaiting(Now, key, attempt, retryAt, WaitKinds.Limit, Limit: refused));
    }

    // repeat.until over the run's output as 'output', with the templates' other values (params, run, blocks it reads).
    private static async Task<bool> UntilHoldsAsync(RepeatPolicy repeat, BlockContext context, BlockValue output, BlockLog log)
    {
        var values = await TemplateValues.ForAsync(context, [repeat.Until]).ConfigureAwait(false);
        var holds = WhenExpression.Evaluate(
            repeat.Until, name => name == RepeatPolicy.OutputRoot ? output.AsJson(context.CancellationToken) : values.Resolve(name), RepeatPolicy.OutputRoot);
        if (!holds)
        {
            log.Write(LogLevel.Information, $"until is false: {repeat.Until}; the block runs again in {Duration.Format(repeat.Every)} unless this was its last allowed run (max {repeat.Max})");
        }

        return holds;
    }

    // The user's frames at error level; the whole trace, with Duraflow's own frames, at debug for whoever needs it.
    private void LogFailure(BlockLog log, Exception exception)
    {
        log.Write(LogLevel.Error, FailureText.Of(exception, committer.Options.ProjectRoot));
        log.Write(LogLevel.Debug, exception.ToString());
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "nothing",
    };
}
