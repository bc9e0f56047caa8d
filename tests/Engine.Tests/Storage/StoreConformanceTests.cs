using System.Text.Json;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>
/// What every run store must guarantee, whatever it is built on: fenced commits, an atomic outbox with deduplicated
/// keys, leases that expire and redeliver with a count, lost leases that roll a commit back, bounded poison
/// (dead letters), due times for timers, and idempotent completion. Each store runs this suite through a subclass.
/// </summary>
/// <remarks>Nothing here waits for time to pass: due times are set in the past or the future, and leases of zero.</remarks>
public abstract partial class StoreConformanceTests : IDisposable
{
    private readonly RunPlan _plan = Of(Block("a"));
    private IRunStore? _store;
    private IWorkQueues? _queues;

    /// <summary>A new, empty store and its queues.</summary>
    private protected abstract (IRunStore Store, IWorkQueues Queues) Open();

    /// <summary>Where the store's runs keep their block outputs, which a purge removes with them.</summary>
    private protected abstract IArtifactStore Outputs { get; }

    private IRunStore Store => _store ??= Opened().Store;

    private IWorkQueues Queues => _queues ??= Opened().Queues;

    public void Dispose()
    {
        (_store as IDisposable)?.Dispose();
        if (!ReferenceEquals(_store, _queues))
        {
            (_queues as IDisposable)?.Dispose();
        }

        Cleanup();
        GC.SuppressFinalize(this);
    }

    /// <summary>Removes what <see cref="Open"/> made.</summary>
    protected virtual void Cleanup()
    {
    }

    [Fact]
    public async Task A_commit_made_on_a_stale_version_fails_and_changes_nothing()
    {
        var created = await CreateAsync("r");
        var started = RunDecider.Decide(_plan, created, new RunStarted(T0));
        await Store.CommitAsync(Commit("r", started, version: 1), CancellationToken.None);

        var stale = RunDecider.Decide(_plan, created, new CancelRequested(T0, "late"));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.CommitAsync(Commit("r", stale, version: 1), CancellationToken.None));

        var stored = await Store.GetRunAsync("r", CancellationToken.None);
        Assert.Equal(RunStatus.Running, stored!.State.Status);
        Assert.Equal(started.State.Version, stored.Version);
        Assert.Equal(stored.Version, (await Store.GetEventsAsync("r", CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Creating_a_run_that_exists_is_a_conflict()
    {
        await CreateAsync("r");

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => CreateAsync("r"));

        Assert.Single(await Store.GetEventsAsync("r", CancellationToken.None));
    }

    [Fact]
    public async Task Outgoing_work_is_added_with_its_commit_and_a_repeated_key_is_added_once()
    {
        var started = RunDecider.Decide(_plan, await CreateAsync("r"), new RunStarted(T0));
        var item = Item("r/block/a/1", DateTimeOffset.UtcNow);

        await Store.CommitAsync(Commit("r", started, version: 1) with { Outgoing = [item, item] }, CancellationToken.None);

        var leased = Assert.Single(await Queues.DequeueAsync(WorkQueues.Blocks, 10, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal(("r", "r/block/a/1", "{\"n\":1}"), (leased.RunId, leased.Key, leased.Body));
    }

    [Fact]
    public async Task Dequeued_work_says_since_when_it_could_have_been_taken()
    {
        var due = DateTimeOffset.UtcNow.AddSeconds(-30);
        var started = RunDecider.Decide(_plan, await CreateAsync("r"), new RunStarted(T0));
        await Store.CommitAsync(Commit("r", started, version: 1) with { Outgoing = [Item("r/block/a/1", due)] }, CancellationToken.None);

        var leased = Assert.Single(await Queues.DequeueAsync(WorkQueues.Blocks, 10, TimeSpan.FromMinutes(1), CancellationToken.None));

        // Its due time where the store keeps one (SQLite), else when it was added (an Azure queue shows a message that
        // is due at once when it is inserted): never later than now, never before it was due.
        Assert.NotNull(leased.VisibleSince);
        Assert.InRange(leased.VisibleSince!.Value, due.AddMilliseconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task A_conflicting_commit_adds_none_of_its_work()
    {
        var created = await CreateAsync("r");
        await Store.CommitAsync(Commit("r", RunDecider.Decide(_plan, created, new RunStarted(T0)), version: 1), CancellationToken.None);

        var stale = Commit("r", RunDecider.Decide(_plan, created, new RunStarted(T0)), version: 1) with { Outgoing = [Item("lost", DateTimeOffset.UtcNow)] };
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.CommitAsync(stale, CancellationToken.None));

        Assert.Empty(await Queues.DequeueAsync(WorkQueues.Blocks, 10, TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task A_leased_message_is_hidden_until_its_lease_ends_and_then_delivered_again_with_a_higher_count()
    {
        await StartWithWorkAsync("r", Item("r/block/a/1", DateTimeOffset.UtcNow));

        var first = Assert.Single(await Queues.DequeueAsync(WorkQueues.Blocks, 1, TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.Empty(await Queues.DequeueAsync(WorkQueues.Blocks, 1, TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.True(await Queues.RenewAsync(first, TimeSpan.Zero, CancellationToken.None));
        var second = Assert.Single(await Queues.DequeueAsync(WorkQueues.Blocks, 1, TimeSpan.FromMinutes(5), CancellationToken.None));

        Assert.Equal(1, first.Deliveries);
        Assert.Equal(2, second.Deliveries);
        Assert.False(await Queues.RenewAsync(first, TimeSpan.FromMinutes(5), CancellationToken.None));
    }

    [Fact]
    public async Task A_released_message_comes_back_without_counting_a_delivery()
    {
        await StartWithWorkAsync("r", Item("r/block/a/1", DateTimeOffset.UtcNow));
        var first = Assert.Single(await Queues.DequeueAsync(WorkQueues.Blocks, 1, TimeSpan.FromMinutes(5), CancellationToken.None));

        await Queues.ReleaseAsync(first, TimeSpan.Zero, CancellationToken.None);
        var again = Assert.Single(await Queues.DequeueAsync(WorkQueues.Blocks, 1, TimeSpan.FromMinutes(5), CancellationToken.None));

        Assert.Equal(first.Deliveries, again.Deliveries);
    }

    [Fact]
    public async Task Completing_a_message_whose_lease_was_taken_over_rolls_the_whole_commit_back()
    {
        var started = await StartWithWorkAsync("r", Item("r/block/a/1", DateTimeOffset.UtcNow));
        var lost = Assert.Single(await Queues.DequeueAsync(WorkQueues.Blocks, 1, TimeSpan.Zero, CancellationToken.None));
        Assert.Single(await Queues.DequeueAsync(WorkQueues.Blocks, 1, TimeSpan.FromMinutes(5), CancellationToken.None));

        var report = Report(started);
        await Assert.ThrowsAsync<LeaseLostException>(
            () => Store.CommitAsync(Commit("r", report, version: started.Version) with { Consumed = lost, Outgoing = [Item("next", DateTimeOffset.UtcNow)] }, CancellationToken.None));

        Assert.Equal(BlockStatus.Scheduled, (await Store.GetRunAsync("r", CancellationToken.None))!.State.Block("a").Status);
        Assert.Empty(await Queues.DequeueAsync(WorkQueues.Blocks, 10, TimeSpan.FromMinutes(5), CancellationToken.None));
    }

    [Fact]
    public async Task A_completed_message_is_gone_and_completing_it_again_changes_nothing()
    {
        var started = await StartWithWorkAsync("r", Item("r/block/a/1", DateTimeOffset.UtcNow));
        var leased = Assert.Single(await Queues.DequeueAsync(WorkQueues.Blocks, 1, TimeSpan.FromMinutes(5), CancellationToken.None));
        var report = Report(started);
        await Store.CommitAsync(Commit("r", report, version: started.Version) with { Consumed = leased }, CancellationToken.None);
        var events = (await Store.GetEventsAsync("r", CancellationToken.None)).Count;
        var current = (await Store.GetRunAsync("r", CancellationToken.None))!.Version;

        // The same report again, as a redelivered message's worker would send it: the message is gone, so nothing commits.
        await Assert.ThrowsAsync<LeaseLostException>(
            () => Store.CommitAsync(Commit("r", report, version: current) with { Consumed = leased }, CancellationToken.None));

        Assert.Equal(events, (await Store.GetEventsAsync("r", CancellationToken.None)).Count);
        Assert.Equal(BlockStatus.Succeeded, (await Store.GetRunAsync("r", CancellationToken.None))!.State.Block("a").Status);
        Assert.Empty(await Queues.DequeueAsync(WorkQueues.Blocks, 10, TimeSpan.FromMinutes(5), CancellationToken.None));
    }

    [Fact]
    public async Task A_dead_lettered_message_leaves_the_queue_and_keeps_its_reason()
    {
        var started = await StartWithWorkAsync("r", Item("r/block/a/1", DateTimeOffset.UtcNow));
        var leased = Assert.Single(await Queues.DequeueAsync(WorkQueues.Blocks, 1, TimeSpan.FromMinutes(5), CancellationToken.None));
        var failed = RunDecider.Decide(_plan, Accept(_plan, started, new BlockStarted(T0, "a", 1, "w")).State,
            new BlockFailed(T0, "a", 1, "delivered too often", Retryable: false));

        await Store.CommitAsync(
            Commit("r", failed, version: started.Version) with { Consumed = leased, DeadLetterReason = "delivered too often" }, CancellationToken.None);

        var dead = Assert.Single(await Store.GetDeadLettersAsync("r", CancellationToken.None));
        Assert.Equal((WorkQueues.Blocks, "r/block/a/1", "delivered too often"), (dead.Queue, dead.Key, dead.Reason));
        Assert.Empty(await Queues.DequeueAsync(WorkQueues.Blocks, 10, TimeSpan.FromMinutes(5), CancellationToken.None));
    }

    [Fact]
    public async Task Work_due_later_waits_and_says_when_it_is_due()
    {
        var later = DateTimeOffset.UtcNow.AddHours(1);
        await StartWithWorkAsync("r", Item("timer", later) with { Queue = WorkQueues.Orchestration });

        Assert.Empty(await Queues.DequeueAsync(WorkQueues.Orchestration, 10, TimeSpan.FromMinutes(1), CancellationToken.None));
        var due = await Queues.NextVisibleAtAsync(WorkQueues.Orchestration, CancellationToken.None);

        Assert.NotNull(due);
        Assert.InRange(due!.Value, later.AddSeconds(-1), later.AddSeconds(1));
        Assert.Null(await Queues.NextVisibleAtAsync(WorkQueues.Blocks, CancellationToken.None));
    }

    [Fact]
    public async Task A_run_is_found_by_its_idempotency_key_and_listed()
    {
        await CreateAsync("r", idempotencyKey: "order-2026-11-24");
        await CreateAsync("s");

        Assert.Equal("r", await Store.FindRunByIdempotencyKeyAsync("order-2026-11-24", CancellationToken.None));
        Assert.Null(await Store.FindRunByIdempotencyKeyAsync("other", CancellationToken.None));
        Assert.Equal(["r", "s"], (await Store.ListRunsAsync(new RunQuery(), CancellationToken.None)).Select(s => s.RunId).Order());
        Assert.Equal(2, await Store.CountUnfinishedRunsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_running_run_with_a_waiting_block_is_listed_as_waiting_until_the_block_goes_on()
    {
        var started = await StartWithWorkAsync("w");
        await StartWithWorkAsync("busy");
        var wait = new BlockWaiting(T0, "a", 1, T0.AddHours(1), "wait.for");
        var waiting = await ApplyAsync("w", started, wait, waitingChanged: true);

        var onlyWaiting = await Store.ListRunsAsync(new RunQuery(Status: RunStatus.Running, WaitingOnly: true), CancellationToken.None);
        var running = await Store.ListRunsAsync(new RunQuery(Status: RunStatus.Running), CancellationToken.None);

        Assert.Equal("w", Assert.Single(onlyWaiting).RunId);
        Assert.True(onlyWaiting[0].Waiting);
        Assert.Equal([("busy", false), ("w", true)], running.Select(r => (r.RunId, r.Waiting)).OrderBy(r => r.RunId, StringComparer.Ordinal));

        // The wait ends: the listing follows the run's snapshot, which counted one waiting block and now none.
        await ApplyAsync("w", waiting, new BlockSucceeded(T0.AddHours(1), "a", 1, "null"), waitingChanged: true);

        Assert.Empty(await Store.ListRunsAsync(new RunQuery(Status: RunStatus.Running, WaitingOnly: true), CancellationToken.None));
        Assert.Equal(0, (await Store.GetRunAsync("w", CancellationToken.None))!.State.WaitingBlocks);
    }

    [Fact]
    public async Task A_run_stored_without_its_count_of_waiting_blocks_is_counted_when_read()
    {
        // As a writer from before the count existed left it: block a waits, the count says none.
        var started = await StartWithWorkAsync("old");
        var waiting = RunEvolver.Evolve(_plan, started.Clone(), new BlockWaiting(T0, "a", 1, T0.AddHours(1), "wait.for"));
        waiting.WaitingBlocks = 0;
        await Store.CommitAsync(
            new RunCommit { RunId = "old", ExpectedVersion = started.Version, Events = [new BlockWaiting(T0, "a", 1, T0.AddHours(1), "wait.for")], State = waiting, BlockChanges = waiting.Changes },
            CancellationToken.None);

        var read = (await Store.GetRunAsync("old", CancellationToken.None))!.State;

        Assert.Equal((1, true), (read.WaitingBlocks, read.IsWaiting));
    }

    [Fact]
    public async Task Creating_a_run_again_with_its_own_id_and_key_is_a_conflict_that_leaves_its_listing_alone()
    {
        // A schedule tick handled twice derives the same run id and key; the run has moved on since.
        var started = RunDecider.Decide(_plan, await CreateAsync("tick", idempotencyKey: "schedule:tick"), new RunStarted(T0));
        await Store.CommitAsync(Commit("tick", started, version: 1), CancellationToken.None);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => CreateAsync("tick", idempotencyKey: "schedule:tick", requestedAt: T0.AddSeconds(30)));

        var listed = Assert.Single(await Store.ListRunsAsync(new RunQuery(), CancellationToken.None));
        Assert.Equal(("tick", RunStatus.Running), (listed.RunId, listed.Status));
        Assert.Equal(RunStatus.Running, (await Store.GetRunAsync("tick", CancellationToken.None))!.State.Status);
        Assert.Equal("tick", await Store.FindRunByIdempotencyKeyAsync("schedule:tick", CancellationToken.None));
    }

    [Fact]
    public async Task A_time_range_lists_the_runs_requested_from_its_start_and_before_its_end()
    {
        await CreateAsync("early", requestedAt: T0.AddMinutes(-5));
        await CreateAsync("at-start", requestedAt: T0);
        await CreateAsync("middle", requestedAt: T0.AddMinutes(2));
        await CreateAsync("at-end", requestedAt: T0.AddMinutes(5));

        async Task<IEnumerable<string>> ListAsync(DateTimeOffset? from, DateTimeOffset? before, int limit = 100, RunCursor? after = null) =>
            (await Store.ListRunsAsync(new RunQuery(Limit: limit, After: after, RequestedFrom: from, RequestedBefore: before), CancellationToken.None)).Select(r => r.RunId);

        Assert.Equal(["at-end", "middle", "at-start"], await ListAsync(T0, null));
        Assert.Equal(["early"], await ListAsync(null, T0));
        Assert.Equal(["middle", "at-start"], await ListAsync(T0, T0.AddMinutes(5)));
        Assert.Empty(await ListAsync(T0.AddMinutes(6), null));

        // Pages within a range stay within it.
        var first = (await Store.ListRunsAsync(new RunQuery(Limit: 1, RequestedFrom: T0.AddMinutes(-5), RequestedBefore: T0.AddMinutes(5)), CancellationToken.None)).Single();
        Assert.Equal("middle", first.RunId);
        Assert.Equal(["at-start", "early"], await ListAsync(T0.AddMinutes(-5), T0.AddMinutes(5), after: RunCursor.After(first)));
    }

    [Fact]
    public async Task Paging_with_a_cursor_visits_every_run_once_newest_first()
    {
        // Three runs share a requested time, so the cursor's tie-break on the run id is exercised too; the time has
        // sub-millisecond ticks, as clocks give, so a store that rounds its times differently from its keys skips runs.
        var tie = T0.AddTicks(4321);
        await CreateAsync("old", requestedAt: T0.AddMinutes(-5));
        await CreateAsync("tie-b", requestedAt: tie);
        await CreateAsync("tie-a", requestedAt: tie);
        await CreateAsync("tie-c", requestedAt: tie);
        await CreateAsync("new", requestedAt: T0.AddMinutes(5));
        await CreateAsync("other", requestedAt: T0.AddMinutes(1), pipeline: "q");

        var all = (await Store.ListRunsAsync(new RunQuery("p", Limit: 100), CancellationToken.None)).Select(r => r.RunId).ToList();
        var paged = new List<string>();
        RunCursor? cursor = null;
        for (var page = 0; page < 10; page++)
        {
            var rows = await Store.ListRunsAsync(new RunQuery("p", Limit: 2, After: cursor), CancellationToken.None);
            Assert.InRange(rows.Count, 0, 2);
            if (rows.Count == 0)
            {
                break;
            }

            paged.AddRange(rows.Select(r => r.RunId));
            cursor = RunCursor.After(rows[^1]);
        }

        Assert.Equal(5, all.Count);
        Assert.Equal("new", all[0]);
        Assert.Equal("old", all[^1]);
        Assert.Equal(["tie-a", "tie-b", "tie-c"], all.Skip(1).Take(3).Order(StringComparer.Ordinal));
        Assert.Equal(all, paged);
        Assert.Empty(await Store.ListRunsAsync(new RunQuery("p", After: cursor), CancellationToken.None));
    }

    [Fact]
    public async Task A_start_past_the_concurrency_limit_fails_and_stores_nothing()
    {
        var first = await CreateAsync("r");
        await Store.CommitAsync(Commit("r", RunDecider.Decide(_plan, first, new RunStarted(T0)), version: 1) with { ConcurrencyLimit = 1 }, CancellationToken.None);
        var second = await CreateAsync("s");

        await Assert.ThrowsAsync<ConcurrencyLimitReachedException>(() => Store.CommitAsync(
            Commit("s", RunDecider.Decide(_plan, second, new RunStarted(T0)), version: 1) with { ConcurrencyLimit = 1 }, CancellationToken.None));

        Assert.Equal(RunStatus.Pending, (await Store.GetRunAsync("s", CancellationToken.None))!.State.Status);
        Assert.Equal(1, await Store.CountActiveRunsAsync("p", CancellationToken.None));
    }

    [Fact]
    public async Task Logs_and_checkpoints_are_stored_with_their_commit()
    {
        var started = await StartWithWorkAsync("r");
        var report = Report(started);
        var mark = JsonSerializer.SerializeToElement("2026-11-24");

        await Store.CommitAsync(Commit("r", report, version: started.Version) with
        {
            Logs = [new LogLine(T0, "a", 1, "Information", "read 12 rows")],
            Checkpoints = new Dictionary<string, JsonElement> { ["since"] = mark },
        }, CancellationToken.None);

        Assert.Equal("read 12 rows", Assert.Single(await Store.GetLogsAsync("r", "a", CancellationToken.None)).Message);
        Assert.Equal("2026-11-24", (await Store.GetCheckpointAsync("p", "since", CancellationToken.None))?.GetString());
    }

    [Fact]
    public async Task Commits_that_name_their_changed_blocks_keep_the_whole_state()
    {
        var plan = Of(Block("fan") with { FanOut = true }, Block("each", "fan") with { MappedOver = "fan" }, Block("join", "each"));
        var state = new RunState();
        var version = 0L;
        async Task StepAsync(RunEvent input)
        {
            var decision = Accept(plan, state, input);
            await Store.CommitAsync(
                Commit("r", decision, version) with { BlockChanges = decision.State.Changes, Plan = version == 0 ? plan : null }, CancellationToken.None);
            (state, version) = (decision.State, version + decision.Events.Count);
            var stored = await Store.GetRunAsync("r", CancellationToken.None);
            Assert.Equal(version, stored!.Version);
            Assert.Equal(Canonical(state), Canonical(stored.State));
        }

        await StepAsync(new RunRequested(T0, "r", "p", "hash", new Dictionary<string, JsonElement>(), "test"));
        await StepAsync(new RunStarted(T0));
        await StepAsync(new BlockStarted(T0, "fan", 1, "w"));
        await StepAsync(new BlockSucceeded(T0, "fan", 1, "out/fan", Items: 3));
        await StepAsync(new BlockFailed(T0, "each[1]", 1, "boom", Retryable: false));
        await StepAsync(new BlockSucceeded(T0, "each[0]", 1, "out/0"));
        await StepAsync(new BlockSucceeded(T0, "each[2]", 1, "out/2"));
        Assert.Equal(RunStatus.Failed, state.Status);
        await StepAsync(new RunRetryRequested(T0));
        await StepAsync(new RunStarted(T0));

        Assert.Equal(BlockStatus.Scheduled, state.Block("each[1]").Status);
        Assert.Equal(BlockStatus.Succeeded, state.Block("each[2]").Status);
    }

    [Fact]
    public async Task A_block_removed_by_a_commit_is_gone_from_the_stored_state()
    {
        var plan = Of(Block("a"), Block("b", "a"));
        var requested = RunDecider.Decide(plan, new RunState(), new RunRequested(T0, "r", "p", "hash", new Dictionary<string, JsonElement>(), "test"));
        await Store.CommitAsync(Commit("r", requested, version: 0) with { Plan = plan }, CancellationToken.None);
        var started = RunDecider.Decide(plan, requested.State, new RunStarted(T0));
        started.State.RemoveBlock("b");
        await Store.CommitAsync(Commit("r", started, version: 1) with { BlockChanges = started.State.Changes }, CancellationToken.None);

        var stored = await Store.GetRunAsync("r", CancellationToken.None);

        Assert.Equal(["a"], stored!.State.Blocks.Keys);
        Assert.Equal(BlockStatus.Scheduled, stored.State.Block("a").Status);
    }

    // Stores may keep blocks in any order; compare them sorted.
    private static string Canonical(RunState state) =>
        state.ToJsonWithoutBlocks() + string.Join(",", state.Blocks.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key}={JsonSerializer.Serialize(b.Value, EngineJson.Options)}"));

    private (IRunStore Store, IWorkQueues Queues) Opened()
    {
        var opened = Open();
        (_store, _queues) = opened;
        return opened;
    }

    private async Task<RunState> CreateAsync(string runId, string? idempotencyKey = null, DateTimeOffset? requestedAt = null, string pipeline = "p")
    {
        var requested = RunDecider.Decide(
            _plan, new RunState(), new RunRequested(requestedAt ?? T0, runId, pipeline, "hash", new Dictionary<string, JsonElement>(), "test"));
        await Store.CommitAsync(Commit(runId, requested, version: 0) with { Plan = _plan, IdempotencyKey = idempotencyKey }, CancellationToken.None);
        return requested.State;
    }

    /// <summary>Creates and starts run <paramref name="runId"/>, committing <paramref name="work"/> with the start.</summary>
    private async Task<RunState> StartWithWorkAsync(string runId, params WorkItem[] work)
    {
        var started = RunDecider.Decide(_plan, await CreateAsync(runId), new RunStarted(T0));
        await Store.CommitAsync(Commit(runId, started, version: 1) with { Outgoing = work }, CancellationToken.None);
        return started.State;
    }

    /// <summary>Block a starts and succeeds: the decision a worker commits when it consumes a's message.</summary>
    private Decision Report(RunState started) =>
        RunDecider.Decide(_plan, Accept(_plan, started, new BlockStarted(T0, "a", 1, "w")).State, new BlockSucceeded(T0, "a", 1, "out"));

    /// <summary>Commits <paramref name="e"/> on <paramref name="state"/> as it was stored, as a runtime's committer does.</summary>
    private async Task<RunState> ApplyAsync(string runId, RunState state, RunEvent e, bool waitingChanged)
    {
        var next = RunEvolver.Evolve(_plan, state.Clone(), e);
        await Store.CommitAsync(
            new RunCommit { RunId = runId, ExpectedVersion = state.Version, Events = [e], State = next, BlockChanges = next.Changes, WaitingChanged = waitingChanged },
            CancellationToken.None);
        return next;
    }

    private static WorkItem Item(string key, DateTimeOffset visibleAt) => new(WorkQueues.Blocks, "r", key, "{\"n\":1}", visibleAt);

    private static RunCommit Commit(string runId, Decision decision, long version) =>
        new() { RunId = runId, ExpectedVersion = version, Events = decision.Events, State = decision.State };
}
