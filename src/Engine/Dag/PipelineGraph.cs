using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Dag;

/// <summary>
/// The dependency graph of a pipeline's blocks: who runs before whom, in which level, and any cycles.
/// Edges point from upstream to downstream. Orders are stable: ties keep declaration order.
/// </summary>
internal sealed class PipelineGraph
{
    private readonly Dictionary<string, int> _indexByName;
    private readonly int[][] _upstream;
    private readonly int[][] _downstream;
    private readonly int[] _levels;

    private PipelineGraph(IReadOnlyList<BlockDefinition> blocks, int[][] upstream)
    {
        Blocks = blocks;
        _indexByName = new Dictionary<string, int>(blocks.Count, StringComparer.Ordinal);
        for (var i = 0; i < blocks.Count; i++)
        {
            _indexByName[blocks[i].Name] = i;
        }

        _upstream = upstream;
        _downstream = Invert(upstream);
        (TopologicalOrder, _levels) = Sort(blocks, _upstream, _downstream);
        Cycles = TopologicalOrder.Count == blocks.Count ? [] : CycleFinder.Find(blocks, _upstream);
        Roots = [.. blocks.Where((_, i) => _upstream[i].Length == 0)];
        Leaves = [.. blocks.Where((_, i) => _downstream[i].Length == 0)];
        LevelCount = _levels.Length == 0 ? 0 : _levels.Max() + 1;
    }

    /// <summary>The blocks in declaration order.</summary>
    public IReadOnlyList<BlockDefinition> Blocks { get; }

    /// <summary>Every block after all of its upstream blocks. Blocks on or behind a cycle are left out.</summary>
    public IReadOnlyList<BlockDefinition> TopologicalOrder { get; }

    /// <summary>Blocks with no upstream.</summary>
    public IReadOnlyList<BlockDefinition> Roots { get; }

    /// <summary>Blocks with no downstream.</summary>
    public IReadOnlyList<BlockDefinition> Leaves { get; }

    /// <summary>The number of levels: the length of the longest chain of dependencies.</summary>
    public int LevelCount { get; }

    /// <summary>Each cycle as the block names along it, starting and ending with the same block.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles { get; }

    /// <summary>True when no block depends on itself, directly or through others.</summary>
    public bool IsAcyclic => Cycles.Count == 0;

    /// <summary>
    /// Builds the graph. <paramref name="upstreamNames"/> gives, per block name, the names it depends on;
    /// names that are not blocks of <paramref name="blocks"/> are ignored (validation reports them).
    /// </summary>
    public static PipelineGraph Build(IReadOnlyList<BlockDefinition> blocks, IReadOnlyDictionary<string, IReadOnlyCollection<string>> upstreamNames)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(upstreamNames);
        var index = new Dictionary<string, int>(blocks.Count, StringComparer.Ordinal);
        for (var i = 0; i < blocks.Count; i++)
        {
            index.TryAdd(blocks[i].Name, i);
        }

        var upstream = new int[blocks.Count][];
        for (var i = 0; i < blocks.Count; i++)
        {
            upstream[i] = upstreamNames.TryGetValue(blocks[i].Name, out var names)
                ? [.. names.Select(n => index.GetValueOrDefault(n, -1)).Where(j => j >= 0).Distinct().Order()]
                : [];
        }

        return new PipelineGraph(blocks, upstream);
    }

    /// <summary>The block called <paramref name="name"/>.</summary>
    public BlockDefinition this[string name] => Blocks[IndexOf(name)];

    /// <summary>True when the graph has a block called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _indexByName.ContainsKey(name);

    /// <summary>The blocks <paramref name="name"/> depends on, in declaration order.</summary>
    public IReadOnlyList<BlockDefinition> Upstream(string name) => [.. _upstream[IndexOf(name)].Select(i => Blocks[i])];

    /// <summary>The blocks that depend on <paramref name="name"/>, in declaration order.</summary>
    public IReadOnlyList<BlockDefinition> Downstream(string name) => [.. _downstream[IndexOf(name)].Select(i => Blocks[i])];

    /// <summary>0 for roots, otherwise one more than the highest level among the block's upstream; -1 on a cycle.</summary>
    public int Level(string name) => _levels[IndexOf(name)];

    /// <summary>The blocks grouped by level; blocks in one level do not depend on each other.</summary>
    public IReadOnlyList<IReadOnlyList<BlockDefinition>> Levels() =>
    [
        .. Enumerable.Range(0, LevelCount).Select(level => (IReadOnlyList<BlockDefinition>)[.. TopologicalOrder.Where(b => Level(b.Name) == level)]),
    ];

    private int IndexOf(string name) =>
        _indexByName.TryGetValue(name, out var index) ? index : throw new KeyNotFoundException($"the pipeline has no block '{name}'");

    private static int[][] Invert(int[][] upstream)
    {
        var downstream = new List<int>[upstream.Length];
        for (var i = 0; i < upstream.Length; i++)
        {
            downstream[i] = [];
        }

        for (var i = 0; i < upstream.Length; i++)
        {
            foreach (var u in upstream[i])
            {
                downstream[u].Add(i);
            }
        }

        return [.. downstream.Select(d => d.ToArray())];
    }

    // Kahn's algorithm, computing each block's level on the way.
    private static (IReadOnlyList<BlockDefinition> Order, int[] Levels) Sort(IReadOnlyList<BlockDefinition> blocks, int[][] upstream, int[][] downstream)
    {
        var remaining = upstream.Select(u => u.Length).ToArray();
        var levels = Enumerable.Repeat(-1, blocks.Count).ToArray();
        var ready = new Queue<int>();
        for (var i = 0; i < blocks.Count; i++)
        {
            if (remaining[i] == 0)
            {
                ready.Enqueue(i);
                levels[i] = 0;
            }
        }

        var released = new List<int>(blocks.Count);
        while (ready.TryDequeue(out var i))
        {
            released.Add(i);
            foreach (var d in downstream[i])
            {
                levels[d] = Math.Max(levels[d], levels[i] + 1);
                if (--remaining[d] == 0)
                {
                    ready.Enqueue(d);
                }
            }
        }

        // Blocks never released sit on or behind a cycle and have no level.
        for (var i = 0; i < blocks.Count; i++)
        {
            if (remaining[i] > 0)
            {
                levels[i] = -1;
            }
        }

        // Level strictly grows along every edge, so (level, declaration) is a topological order too, and one that
        // reads level by level.
        return ([.. released.OrderBy(i => levels[i]).ThenBy(i => i).Select(i => blocks[i])], levels);
    }
}
