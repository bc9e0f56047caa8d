using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Sqlite;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Triggers.Schedules;

/// <summary>The ticker suite on SQLite; each <see cref="Open"/> opens the same file anew, as another process would.</summary>
public sealed class SqliteScheduleTickerTests : ScheduleTickerTests
{
    private readonly TempFolder _folder = new();

    private protected override (IRunStore Store, IWorkQueues Queues, IScheduleMarks Marks) Open()
    {
        var store = SqliteStore.Open(_folder.PathOf("store.db"));
        return (store, store, store);
    }

    protected override void Cleanup() => _folder.Dispose();
}
