using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Sqlite;
using Duraflow.Tests;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>The SQLite store: the conformance suite, plus what only a file-backed store has.</summary>
public sealed class SqliteStoreTests : StoreConformanceTests
{
    private readonly TempFolder _folder = new();

    protected override (IRunStore Store, IWorkQueues Queues) Open()
    {
        var store = SqliteStore.Open(_folder.PathOf("store.db"));
        return (store, store);
    }

    protected override void Cleanup() => _folder.Dispose();

    [Fact]
    public async Task Reopening_the_file_keeps_everything_and_does_not_migrate_twice()
    {
        var plan = Of(Block("a"));
        var requested = RunDecider.Decide(plan, new RunState(), new RunRequested(T0, "r", "test", "hash", new Dictionary<string, System.Text.Json.JsonElement>(), "test"));
        using (var store = SqliteStore.Open(_folder.PathOf("reopened.db")))
        {
            await store.CommitAsync(new RunCommit { RunId = "r", ExpectedVersion = 0, Events = requested.Events, State = requested.State, Plan = plan }, CancellationToken.None);
        }

        using var reopened = SqliteStore.Open(_folder.PathOf("reopened.db"));

        Assert.Equal(RunStatus.Pending, (await reopened.GetRunAsync("r", CancellationToken.None))!.State.Status);
    }
}
