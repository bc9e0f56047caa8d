using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Tests.Workers;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Checkpoints;

/// <summary>
/// A checkpoint a block sets is stored when the whole run succeeds, not when the block does: a later block's failure
/// leaves the watermark where it was, so the next run reads the same rows again instead of skipping them.
/// </summary>
public sealed class StagedCheckpointTests : IDisposable
{
    private bool _loadFails = true;
    private long _read;
    private readonly LaterTime _time = new();
    private readonly StepEngine _engine;

    public StagedCheckpointTests() => _engine = new StepEngine(async (block, context) =>
    {
        if (block.Name == "extract")
        {
            _read = (await context.GetCheckpointAsync("last_id"))?.GetInt64() ?? 0;
            context.SetCheckpoint("last_id", JsonSerializer.SerializeToElement(_read + 100));
            return _read;
        }

        return _loadFails ? throw new NonRetryableBlockException("warehouse down") : 1;
    }, time: _time);

    public void Dispose() => _engine.Dispose();

    private static RunPlan Plan => Of(Block("extract"), Block("load", "extract"));

    private async Task<JsonElement?> StoredAsync() => await _engine.Sqlite.GetCheckpointAsync("test", "last_id", CancellationToken.None);

    [Fact]
    public async Task A_failed_run_stores_no_checkpoint_and_the_next_run_reads_the_same_rows_again()
    {
        var failed = await _engine.RunAsync(Plan);
        var afterFailure = await StoredAsync();
        _loadFails = false;
        var succeeded = await _engine.RunAsync(Plan);
        var readBySecond = _read;
        var third = await _engine.RunAsync(Plan);

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Null(afterFailure);
        Assert.Equal(100, failed.StagedCheckpoints!["last_id"].Value.GetInt64());
        Assert.Equal(RunStatus.Succeeded, succeeded.Status);
        Assert.Equal(0, readBySecond);
        Assert.Equal(100, _read);
        Assert.Equal(RunStatus.Succeeded, third.Status);
        Assert.Equal(200, (await StoredAsync())!.Value.GetInt64());
    }

    [Fact]
    public async Task A_retried_run_stores_the_checkpoints_of_its_first_round_when_it_succeeds()
    {
        var failed = await _engine.RunAsync(Plan);
        _loadFails = false;

        var (change, retried) = await RetryAsync(failed.RunId);

        Assert.True(change.Accepted, change.Rejection);
        Assert.Equal(RunStatus.Succeeded, retried.Status);
        Assert.Equal(1, _engine.CallsOf("extract"));
        Assert.Equal(100, (await StoredAsync())!.Value.GetInt64());
    }

    [Fact]
    public async Task A_run_retried_after_later_runs_succeeded_does_not_move_the_watermark_back()
    {
        var stale = await _engine.RunAsync(Plan);
        _loadFails = false;
        _time.Ahead = TimeSpan.FromHours(1);
        await _engine.RunAsync(Plan);
        await _engine.RunAsync(Plan);
        var beforeRetry = await StoredAsync();

        var (change, retried) = await RetryAsync(stale.RunId);

        Assert.True(change.Accepted, change.Rejection);
        Assert.Equal(RunStatus.Succeeded, retried.Status);
        Assert.Equal(100, retried.StagedCheckpoints!["last_id"].Value.GetInt64());
        Assert.Equal(200, beforeRetry!.Value.GetInt64());
        Assert.Equal(200, (await StoredAsync())!.Value.GetInt64());
    }

    private async Task<(RunChange Change, RunState Retried)> RetryAsync(string runId)
    {
        var change = await new DuraflowRuntime(_engine.Engine).SignalAsync(runId, new RetryFailedBlocks(), CancellationToken.None);
        RunState retried;
        await using (_engine.Work())
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (!((retried = await _engine.StoredAsync(runId)).Round == 1 && retried.Status.IsTerminal()))
            {
                await _engine.Engine.Signal.WaitAsync(TimeSpan.FromMilliseconds(200), limit.Token);
            }
        }

        return (change, retried);
    }

    [Fact]
    public async Task A_value_stored_moments_after_a_block_staged_its_own_is_taken_as_older_so_clock_skew_costs_rows_read_twice_not_skipped()
    {
        var stale = await _engine.RunAsync(Plan);
        _loadFails = false;
        await _engine.RunAsync(Plan);
        await _engine.RunAsync(Plan);

        var (_, retried) = await RetryAsync(stale.RunId);

        Assert.Equal(RunStatus.Succeeded, retried.Status);
        Assert.Equal(100, (await StoredAsync())!.Value.GetInt64());
    }

    // The system clock, or an hour ahead of it: timers stay real, so the worker loops run as usual.
    private sealed class LaterTime : TimeProvider
    {
        public TimeSpan Ahead { get; set; }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Ahead;
    }
}
