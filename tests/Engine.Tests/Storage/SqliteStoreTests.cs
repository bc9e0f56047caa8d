using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Sqlite;
using Duraflow.Tests;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>The SQLite store's guarantees: fenced commits, atomic outbox, leases that expire and come back.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly SqliteStore _store;
    private readonly RunPlan _plan = Of(Block("a"));

    public SqliteStoreTests() => _store = SqliteStore.Open(_folder.PathOf("store.db"));

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_commit_made_on_a_stale_version_fails_and_changes_nothing()
    {
        var created = await CreateAsync();
        var started = RunDecider.Decide(_plan, created, new RunStarted(T0));
        await _store.CommitAsync(Commit(started, version: 1), CancellationToken.None);

        var stale = RunDecider.Decide(_plan, created, new CancelRequested(T0, "late"));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.CommitAsync(Commit(stale, version: 1), CancellationToken.None));

        var stored = await _store.GetRunAsync("r", CancellationToken.None);
        Assert.Equal(RunStatus.Running, stored!.State.Status);
        Assert.Equal(started.State.Version, stored.Version);
        Assert.Equal(stored.Version, (await _store.GetEventsAsync("r", CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Outgoing_work_is_added_with_its_commit_and_a_repeated_key_is_added_once()
    {
        var created = await CreateAsync();
        var started = RunDecider.Decide(_plan, created, new RunStarted(T0));
        var item = new WorkItem(WorkQueues.Blocks, "r", "r/block/a/1", "{}", DateTimeOffset.UtcNow);

        await _store.CommitAsync(Commit(started, version: 1) with { Outgoing = [item, item] }, CancellationToken.None);

        Assert.Single(await _store.DequeueAsync(WorkQueues.Blocks, 10, TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task A_leased_message_is_hidden_until_its_lease_ends_and_then_delivered_again_with_a_higher_count()
    {
        var created = await CreateAsync();
        var item = new WorkItem(WorkQueues.Blocks, "r", "r/block/a/1", "{}", DateTimeOffset.UtcNow);
        await _store.CommitAsync(Commit(RunDecider.Decide(_plan, created, new RunStarted(T0)), version: 1) with { Outgoing = [item] }, CancellationToken.None);

        var first = Assert.Single(await _store.DequeueAsync(WorkQueues.Blocks, 1, TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.Empty(await _store.DequeueAsync(WorkQueues.Blocks, 1, TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.True(await _store.RenewAsync(first, TimeSpan.Zero, CancellationToken.None));
        var second = Assert.Single(await _store.DequeueAsync(WorkQueues.Blocks, 1, TimeSpan.FromMinutes(5), CancellationToken.None));

        Assert.Equal(1, first.Deliveries);
        Assert.Equal(2, second.Deliveries);
        Assert.False(await _store.RenewAsync(first, TimeSpan.FromMinutes(5), CancellationToken.None));
    }

    [Fact]
    public async Task Completing_a_message_whose_lease_was_taken_over_rolls_the_whole_commit_back()
    {
        var created = await CreateAsync();
        var item = new WorkItem(WorkQueues.Blocks, "r", "r/block/a/1", "{}", DateTimeOffset.UtcNow);
        var started = RunDecider.Decide(_plan, created, new RunStarted(T0));
        await _store.CommitAsync(Commit(started, version: 1) with { Outgoing = [item] }, CancellationToken.None);
        var lost = Assert.Single(await _store.DequeueAsync(WorkQueues.Blocks, 1, TimeSpan.Zero, CancellationToken.None));
        Assert.Single(await _store.DequeueAsync(WorkQueues.Blocks, 1, TimeSpan.FromMinutes(5), CancellationToken.None));

        var report = RunDecider.Decide(_plan, Accept(_plan, started.State, new BlockStarted(T0, "a", 1, "w")).State, new BlockSucceeded(T0, "a", 1, "out"));
        await Assert.ThrowsAsync<LeaseLostException>(() => _store.CommitAsync(Commit(report, version: started.State.Version) with { Consumed = lost }, CancellationToken.None));

        Assert.Equal(BlockStatus.Scheduled, (await _store.GetRunAsync("r", CancellationToken.None))!.State.Block("a").Status);
    }

    [Fact]
    public async Task Reopening_the_file_keeps_everything_and_does_not_migrate_twice()
    {
        await CreateAsync();
        _store.Dispose();

        using var reopened = SqliteStore.Open(_folder.PathOf("store.db"));

        Assert.Equal(RunStatus.Pending, (await reopened.GetRunAsync("r", CancellationToken.None))!.State.Status);
    }

    private async Task<RunState> CreateAsync()
    {
        var requested = RunDecider.Decide(_plan, new RunState(), new RunRequested(T0, "r", "test", "hash", new Dictionary<string, System.Text.Json.JsonElement>(), "test"));
        await _store.CommitAsync(Commit(requested, version: 0) with { Plan = _plan }, CancellationToken.None);
        return requested.State;
    }

    private static RunCommit Commit(Decision decision, long version) =>
        new() { RunId = "r", ExpectedVersion = version, Events = decision.Events, State = decision.State };
}
