using Duraflow.Engine.Runs;
using Duraflow.Engine.Runtime;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>The engine's snapshot cache: newest wins, finished runs are not kept, and it stays within its bound.</summary>
public class RunSnapshotsTests
{
    [Fact]
    public void An_older_snapshot_never_replaces_a_newer_one()
    {
        var snapshots = new RunSnapshots();
        var newer = Run(RunStatus.Running, 5);
        snapshots.Remember("r", newer);

        snapshots.Remember("r", Run(RunStatus.Running, 3));

        Assert.True(snapshots.TryGet("r", out var kept));
        Assert.Same(newer, kept);
    }

    [Fact]
    public void Forgetting_a_stale_snapshot_keeps_a_newer_one_remembered_meanwhile()
    {
        var snapshots = new RunSnapshots();
        var stale = Run(RunStatus.Running, 3);
        snapshots.Remember("r", stale);
        snapshots.Remember("r", Run(RunStatus.Running, 4));

        snapshots.Forget("r", stale);

        Assert.True(snapshots.TryGet("r", out var kept));
        Assert.Equal(4, kept.Version);
        snapshots.Forget("r", kept);
        Assert.False(snapshots.TryGet("r", out _));
    }

    [Theory]
    [InlineData(RunStatus.Succeeded)]
    [InlineData(RunStatus.Failed)]
    [InlineData(RunStatus.Cancelled)]
    public void A_finished_run_is_dropped(object status)
    {
        var snapshots = new RunSnapshots();
        snapshots.Remember("r", Run(RunStatus.Running, 3));

        snapshots.Remember("r", Run((RunStatus)status, 4));

        Assert.False(snapshots.TryGet("r", out _));
    }

    [Fact]
    public void A_full_cache_drops_entries_to_take_new_runs()
    {
        var snapshots = new RunSnapshots(capacity: 20);
        for (var i = 0; i < 100; i++)
        {
            snapshots.Remember($"r{i}", Run(RunStatus.Running, 1));
            Assert.InRange(snapshots.Count, 1, 20);
        }

        Assert.True(snapshots.TryGet("r99", out _));
    }

    private static StoredRun Run(RunStatus status, long version) => new(new RunState { RunId = "r", Status = status, Version = version }, version);
}
