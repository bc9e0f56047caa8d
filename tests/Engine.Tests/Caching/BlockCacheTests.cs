using System.Text;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Sqlite;
using Duraflow.Engine.Tests.Secrets;
using Duraflow.Engine.Workers;
using Duraflow.Tests;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Caching;

/// <summary>Finding and copying entries: the TTL in force decides, and an output that is gone is a miss.</summary>
public sealed class BlockCacheTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ManualTime _time = new();
    private readonly SqliteStore _store;
    private readonly LocalArtifactStore _artifacts;
    private readonly BlockCache _cache;

    public BlockCacheTests()
    {
        _store = SqliteStore.Open(_folder.PathOf("duraflow.db"), SqliteDurability.Normal, _time);
        _artifacts = new LocalArtifactStore(_folder.PathOf("artifacts"));
        _cache = new BlockCache(_store, _artifacts, _time);
    }

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    private static BlockPlan Cached(TimeSpan? ttl) => Block("a") with { Cache = new CachePolicy(ttl, null) };

    private Task KeepAsync(BlockPlan block, string output) =>
        _cache.StoreAsync(Of(block), block, "k1", new BlockSucceeded(_time.GetUtcNow(), "a", 1, output), "run-1", CancellationToken.None);

    [Fact]
    public async Task An_entry_is_found_until_its_ttl_ends_and_a_shorter_ttl_applies_to_entries_made_before()
    {
        var hour = Cached(TimeSpan.FromHours(1));
        await KeepAsync(hour, "json:1");

        _time.Advance(TimeSpan.FromMinutes(59));
        var before = await _cache.FindAsync(Of(hour), hour, "k1", CancellationToken.None);
        var shortened = await _cache.FindAsync(Of(hour), Cached(TimeSpan.FromMinutes(30)), "k1", CancellationToken.None);
        var noTtl = await _cache.FindAsync(Of(hour), Cached(null), "k1", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        var after = await _cache.FindAsync(Of(hour), hour, "k1", CancellationToken.None);

        Assert.Equal(("run-1", "json:1"), (before?.RunId, before?.Output));
        Assert.Equal(T0.AddHours(1), before!.ExpiresAt);
        Assert.Null(shortened);
        Assert.NotNull(noTtl);
        Assert.Null(after);
        Assert.Null(await _cache.FindAsync(Of(hour), hour, "another key", CancellationToken.None));
    }

    [Fact]
    public async Task An_output_purged_with_its_run_is_a_miss_and_a_hit_is_copied_under_the_reading_run()
    {
        var block = Cached(null);
        await _artifacts.WriteAsync("runs/run-1/a/attempt-1.json", Encoding.UTF8.GetBytes("[1,2,3]"), CancellationToken.None);
        await KeepAsync(block, "runs/run-1/a/attempt-1.json");

        var entry = await _cache.FindAsync(Of(block), block, "k1", CancellationToken.None);
        var copy = await _cache.CopyAsync(entry!, "run-2", "a", 1, CancellationToken.None);
        _artifacts.DeleteRunOutputs("run-1");

        Assert.Equal("runs/run-2/a/attempt-1.json", copy);
        Assert.Equal("[1,2,3]", Encoding.UTF8.GetString(await _artifacts.ReadAsync(copy!, CancellationToken.None)));
        Assert.Null(await _cache.FindAsync(Of(block), block, "k1", CancellationToken.None));
        Assert.Null(await _cache.CopyAsync(entry!, "run-3", "a", 1, CancellationToken.None));
    }
}
