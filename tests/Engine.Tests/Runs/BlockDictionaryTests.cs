using System.Text.Json;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Tests.Runs;

/// <summary>The copy-on-write map of a run's blocks: copies never see each other's changes, however often they fold.</summary>
public class BlockDictionaryTests
{
    [Fact]
    public void A_copy_and_its_original_each_keep_their_own_changes()
    {
        var original = Map("a", "b", "c");
        var copy = original.Copy();

        copy.Set("b", new BlockRunState { Status = BlockStatus.Succeeded });
        copy.Set("d", new BlockRunState());
        copy.Remove("a");
        original.Set("c", new BlockRunState { Status = BlockStatus.Failed });

        Assert.Equal(["a", "b", "c"], original.Keys);
        Assert.Equal(BlockStatus.Pending, original["b"].Status);
        Assert.Equal(BlockStatus.Failed, original["c"].Status);
        Assert.Equal(["b", "c", "d"], copy.Keys);
        Assert.Equal(3, copy.Count);
        Assert.Equal(BlockStatus.Succeeded, copy["b"].Status);
        Assert.Equal(BlockStatus.Pending, copy["c"].Status);
        Assert.False(copy.ContainsKey("a"));
    }

    [Fact]
    public void A_long_line_of_copies_matches_a_plain_dictionary_through_every_fold()
    {
        var random = new Random(7);
        var map = Map([.. Enumerable.Range(0, 400).Select(i => $"k{i}")]);
        var expected = map.ToDictionary(p => p.Key, p => p.Value);
        var earlier = new List<(BlockDictionary Map, Dictionary<string, BlockRunState> Expected)>();
        for (var step = 0; step < 2_000; step++)
        {
            if (step % 100 == 0)
            {
                earlier.Add((map, new Dictionary<string, BlockRunState>(expected)));
            }

            map = map.Copy();
            var key = $"k{random.Next(500)}";
            if (random.Next(4) == 0)
            {
                Assert.Equal(expected.Remove(key), map.Remove(key));
            }
            else
            {
                var block = new BlockRunState { Attempt = step };
                map.Set(key, block);
                expected[key] = block;
            }
        }

        Assert.Equal(expected.OrderBy(p => p.Key), map.OrderBy(p => p.Key));
        Assert.Equal(expected.Count, map.Count);
        Assert.All(earlier, e => Assert.Equal(e.Expected.OrderBy(p => p.Key), e.Map.OrderBy(p => p.Key)));
    }

    [Fact]
    public void It_reads_and_writes_json_as_an_object_of_blocks_by_key()
    {
        var map = Map("extract", "load").Copy();
        map.Set("load", new BlockRunState { Status = BlockStatus.Running, Attempt = 2 });

        var json = JsonSerializer.Serialize(map, EngineJson.Options);
        var read = JsonSerializer.Deserialize<BlockDictionary>(json, EngineJson.Options)!;

        Assert.StartsWith("""{"extract":{"status":"pending","attempt":0""", json);
        Assert.Equal(["extract", "load"], read.Keys);
        Assert.Equal(2, read["load"].Attempt);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<BlockDictionary>("null", EngineJson.Options));
    }

    private static BlockDictionary Map(params string[] keys)
    {
        var map = new BlockDictionary();
        foreach (var key in keys)
        {
            map.Set(key, new BlockRunState());
        }

        return map;
    }
}
