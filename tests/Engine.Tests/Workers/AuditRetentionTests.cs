using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Sqlite;
using Duraflow.Engine.Workers;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Workers;

/// <summary>The retention sweeper removes audit entries past <c>retention.audit</c>, whether or not runs are kept for ever.</summary>
public sealed class AuditRetentionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_round_removes_entries_older_than_the_setting_and_keeps_the_rest_while_runs_are_kept_for_ever()
    {
        using var store = SqliteStore.Open(_folder.PathOf("store.db"));
        var now = DateTimeOffset.UtcNow;
        var old = new AuditEntry(AuditIds.For(now.AddDays(-40)), now.AddDays(-40), "key:ci", "key", "run.start", "pipeline:p", null, "202", null);
        var recent = old with { Id = AuditIds.For(now.AddDays(-1)), At = now.AddDays(-1) };
        await store.AppendAuditAsync(old, CancellationToken.None);
        await store.AppendAuditAsync(recent, CancellationToken.None);
        var retention = new RunRetention(store, store, keep: null, keepAudit: TimeSpan.FromDays(30));
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        var sweeping = retention.RunAsync(stop.Token);
        while ((await store.ListAuditAsync(new AuditQuery(null, null, null, 10), CancellationToken.None)).Count > 1 && !stop.IsCancellationRequested)
        {
            await Task.Yield();
        }

        await stop.CancelAsync();
        await sweeping;
        Assert.Equal([recent.Id], (await store.ListAuditAsync(new AuditQuery(null, null, null, 10), CancellationToken.None)).Select(e => e.Id));
    }
}
