using System.Text.Json;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>The audit log appended to, listed newest first with filters and paging, and purged by age, the same on every store.</summary>
public abstract partial class StoreConformanceTests
{
    private IAuditLog Audit => (IAuditLog)Store;

    private static AuditEntry Entry(DateTimeOffset at, string actor, string action, string? parameters = null) => new(
        AuditIds.For(at), at, actor, "key", action, "pipeline:orders",
        parameters is null ? null : JsonDocument.Parse(parameters).RootElement.Clone(), "202", "10.0.0.7");

    [Fact]
    public async Task Audit_entries_list_newest_first_filtered_by_time_actor_and_action_a_page_at_a_time()
    {
        var t0 = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);
        for (var i = 0; i < 6; i++)
        {
            await Audit.AppendAuditAsync(Entry(t0.AddMinutes(i), i % 2 == 0 ? "key:ci" : "cli:ana@host", i < 3 ? "run.start" : "run.cancel", """{"parameters":{"day":"2026-12-01"}}"""), CancellationToken.None);
        }

        var all = await Audit.ListAuditAsync(new AuditQuery(null, null, null, 100), CancellationToken.None);
        var since = await Audit.ListAuditAsync(new AuditQuery(t0.AddMinutes(4), null, null, 100), CancellationToken.None);
        var byActor = await Audit.ListAuditAsync(new AuditQuery(null, "key:ci", "run.start", 100), CancellationToken.None);
        var first = await Audit.ListAuditAsync(new AuditQuery(null, null, null, 4), CancellationToken.None);
        var next = await Audit.ListAuditAsync(new AuditQuery(null, null, null, 4, first[^1].Id), CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 6).Reverse().Select(i => t0.AddMinutes(i)), all.Select(e => e.At));
        Assert.Equal([t0.AddMinutes(5), t0.AddMinutes(4)], since.Select(e => e.At));
        Assert.Equal([t0.AddMinutes(2), t0], byActor.Select(e => e.At));
        Assert.Equal(all.Select(e => e.Id), first.Concat(next).Select(e => e.Id));
        var entry = all[^1];
        Assert.Equal(("key:ci", "key", "run.start", "pipeline:orders", "202", "10.0.0.7"), (entry.Actor, entry.ActorKind, entry.Action, entry.Target, entry.Result, entry.Client));
        Assert.Equal("2026-12-01", entry.Parameters!.Value.GetProperty("parameters").GetProperty("day").GetString());
    }

    [Fact]
    public async Task Purging_the_audit_log_removes_only_entries_older_than_the_cutoff_at_most_as_many_as_asked()
    {
        var t0 = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);
        for (var i = 0; i < 5; i++)
        {
            await Audit.AppendAuditAsync(Entry(t0.AddDays(i), "key:ci", "run.start"), CancellationToken.None);
        }

        var limited = await Audit.PurgeAuditAsync(t0.AddDays(3), 2, CancellationToken.None);
        var rest = await Audit.PurgeAuditAsync(t0.AddDays(3), 100, CancellationToken.None);
        var left = await Audit.ListAuditAsync(new AuditQuery(null, null, null, 100), CancellationToken.None);

        Assert.Equal((2, 1), (limited, rest));
        Assert.Equal([t0.AddDays(4), t0.AddDays(3)], left.Select(e => e.At));
    }
}
