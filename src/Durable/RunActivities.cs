using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Workers;

namespace Duraflow.Durable;

/// <summary>
/// The Durable runtime's activities, over the project's engine: the block activity runs one attempt with the same
/// code as the <c>duraflow</c> runtime's workers (<see cref="BlockAttempt"/>), and the record activity writes the
/// orchestrator's decisions to the run store, which stays the index of runs, logs and outputs on both runtimes.
/// </summary>
internal sealed class RunActivities(RunCommitter committer, BlockAttempt attempts)
{
    /// <summary>How often a running block looks at its run's status in the store, to stop when the run is cancelled.</summary>
    internal static readonly TimeSpan CancelPoll = TimeSpan.FromSeconds(1);

    /// <summary>Runs the attempt <paramref name="input"/> names; <paramref name="stopping"/> fires when the worker shuts down.</summary>
    /// <exception cref="OperationCanceledException">The worker is shutting down: the attempt is abandoned and will be delivered again.</exception>
    public async Task<BlockActivityOutput> RunBlockAsync(BlockActivityInput input, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Record is { } record)
        {
            // Recorded again when the activity is delivered again: the store skips what it has already.
            await RecordAsync(record, stopping).ConfigureAwait(false);
        }

        // Usually the snapshot this process recorded when the block was scheduled; one that does not show the attempt in
        // flight is read again from the store.
        var stored = await committer.ReadRunAsync(input.RunId, state => InFlight(state, input), stopping).ConfigureAwait(false)
            ?? throw new RunNotFoundException(input.RunId);
        if (stored.State.Status != RunStatus.Running)
        {
            // Cancelled (or timed out) while the activity waited in the queue.
            return Output(new BlockCancelled(committer.Time.GetUtcNow(), input.Key, input.Attempt), null);
        }

        var plan = await committer.PlanAsync(stored.State.DefinitionHash, stopping).ConfigureAwait(false);
        var block = plan.Block(InstanceKeys.Parse(input.Key).Block);
        using var cancellation = new AttemptCancellation(block.Timeout, stopping);
        var watcher = WatchRunAsync(input.RunId, cancellation);
        AttemptReport? report;
        try
        {
            report = await attempts.RunAsync(input.RunId, plan, stored.State, input.Key, input.Attempt, cancellation).ConfigureAwait(false);
        }
        finally
        {
            await cancellation.StopKeepingAsync(watcher).ConfigureAwait(false);
        }

        if (report is null)
        {
            stopping.ThrowIfCancellationRequested();
            throw new OperationCanceledException($"attempt {input.Attempt} of {input.Key} was abandoned");
        }

        return Output(report.Report, await SaveExtrasAsync(input, report).ConfigureAwait(false));
    }

    /// <summary>Records the orchestrator's decisions; false when a start found the pipeline's concurrency used up.</summary>
    public async Task<bool> RecordAsync(RecordInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Before is { } before)
        {
            await RecordAsync(before, cancellationToken).ConfigureAwait(false);
        }

        var events = JsonSerializer.Deserialize<List<RunEvent>>(input.Events, EngineJson.Options) ?? [];
        var logs = new List<LogLine>();
        foreach (var key in input.Extras)
        {
            var extras = JsonSerializer.Deserialize<AttemptExtras>(await committer.Artifacts.ReadAsync(key, cancellationToken).ConfigureAwait(false), EngineJson.Options)!;
            logs.AddRange(extras.Logs);
        }

        // Checkpoints ride in the attempts' BlockSucceeded events: staged with the completion, stored when the run succeeds.
        var commitExtras = new RunCommitExtras { Logs = logs, EnforceConcurrency = input.TakeSlot };
        return await committer.RecordAsync(input.RunId, input.ExpectedVersion, events, commitExtras, cancellationToken).ConfigureAwait(false);
    }

    private static bool InFlight(RunState state, BlockActivityInput input) =>
        state.Status == RunStatus.Running && state.Blocks.TryGetValue(input.Key, out var block)
            && block.Status is BlockStatus.Scheduled or BlockStatus.Running && block.Attempt == input.Attempt;

    private static BlockActivityOutput Output(RunEvent report, string? extras) => new(JsonSerializer.Serialize(report, EngineJson.Options), extras);

    // Logs wait in an artifact beside the attempt's output for the record activity, so a block that logs
    // a lot does not make the orchestration's history (replayed on every step) large.
    private async Task<string?> SaveExtrasAsync(BlockActivityInput input, AttemptReport report)
    {
        if (report.Logs.Count == 0)
        {
            return null;
        }

        var key = $"runs/{input.RunId}/{input.Key}/attempt-{input.Attempt}.extras.json";
        var json = JsonSerializer.SerializeToUtf8Bytes(new AttemptExtras(report.Logs), EngineJson.Options);
        await committer.Artifacts.WriteAsync(key, json, CancellationToken.None).ConfigureAwait(false);
        return key;
    }

    // A cancel (or the run's timeout) reaches a running block here: the orchestrator records the run as cancelling.
    private async Task WatchRunAsync(string runId, AttemptCancellation attempt)
    {
        while (!attempt.KeeperStopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(CancelPoll, committer.Time, attempt.KeeperStopping).ConfigureAwait(false);
                var run = await committer.Store.GetRunAsync(runId, attempt.KeeperStopping).ConfigureAwait(false);
                if (run is null || run.State.Status != RunStatus.Running)
                {
                    attempt.Cancel(AttemptCancellation.Why.RunCancelled);
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (StoreUnavailableException)
            {
                // A store that does not answer for a moment must not fail the block; the next look may get through.
            }
        }
    }

    private sealed record AttemptExtras(IReadOnlyList<LogLine> Logs);
}
