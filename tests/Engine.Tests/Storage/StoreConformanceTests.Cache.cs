using Duraflow.Engine.Storage;
using static Duraflow.Engine.Tests.Runs.Plans;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>Cache entries, the same on every store: replaced by key, listed and cleared by pipeline and block.</summary>
public abstract partial class StoreConformanceTests
{
    private ICacheEntries Cache => Store;

    private static CacheEntry Entry(string pipeline, string block, string key, string run = "run-1", int minutes = 0) =>
        new(pipeline, block, key, "json:1", null, run, block, 1, T0.AddMinutes(minutes), null);

    [Fact]
    public async Task Cache_entries_are_replaced_by_key_and_listed_and_cleared_by_pipeline_and_block()
    {
        // Names with the characters table keys escape, so that a prefix of one pipeline never lists another.
        var entries = new[]
        {
            Entry("sales", "load", "k1"),
            Entry("sales", "load", "k2", minutes: 1) with { Items = 3, ExpiresAt = T0.AddHours(1), Output = "runs/run-1/load/attempt-1.json" },
            Entry("sales", "sum", "k3"),
            Entry("sales|x", "load", "k4"),
            Entry("ops", "load", "k5"),
        };
        foreach (var entry in entries)
        {
            await Cache.PutCacheEntryAsync(entry, CancellationToken.None);
        }

        var replaced = entries[0] with { RunId = "run-2", CreatedAt = T0.AddMinutes(5) };
        await Cache.PutCacheEntryAsync(replaced, CancellationToken.None);

        Assert.Equal(replaced, await Cache.GetCacheEntryAsync("sales", "load", "k1", CancellationToken.None));
        Assert.Equal(entries[1], await Cache.GetCacheEntryAsync("sales", "load", "k2", CancellationToken.None));
        Assert.Null(await Cache.GetCacheEntryAsync("sales", "sum", "k1", CancellationToken.None));
        Assert.Equal(["k2", "k1"], (await Cache.ListCacheEntriesAsync("sales", "load", CancellationToken.None)).Select(e => e.Key));
        Assert.Equal(["k2", "k1", "k3"], (await Cache.ListCacheEntriesAsync("sales", null, CancellationToken.None)).Select(e => e.Key));
        Assert.Equal(["k5", "k2", "k1", "k4"], (await Cache.ListCacheEntriesAsync(null, "load", CancellationToken.None)).Select(e => e.Key));
        Assert.Equal(5, (await Cache.ListCacheEntriesAsync(null, null, CancellationToken.None)).Count);

        Assert.Equal(2, await Cache.DeleteCacheEntriesAsync("sales", "load", CancellationToken.None));
        Assert.Equal(["k3"], (await Cache.ListCacheEntriesAsync("sales", null, CancellationToken.None)).Select(e => e.Key));
        Assert.Equal(2, await Cache.DeleteCacheEntriesAsync(null, "load", CancellationToken.None));
        Assert.Equal(1, await Cache.DeleteCacheEntriesAsync(null, null, CancellationToken.None));
        Assert.Empty(await Cache.ListCacheEntriesAsync(null, null, CancellationToken.None));
    }

    [Fact]
    public async Task A_purge_removes_the_entries_of_the_runs_it_removes_whose_outputs_went_with_them()
    {
        await FinishAsync("old-ok", Old);
        await Cache.PutCacheEntryAsync(Entry("p", "a", "k1", run: "old-ok"), CancellationToken.None);
        await Cache.PutCacheEntryAsync(Entry("p", "b", "k2", run: "kept-run"), CancellationToken.None);

        await Retention.PurgeAsync(Cutoff, null, 1000, CancellationToken.None);

        Assert.Equal(["kept-run"], (await Cache.ListCacheEntriesAsync(null, null, CancellationToken.None)).Select(e => e.RunId));
    }
}
