using Duraflow.Blocks.Catalog;
using Duraflow.Engine.Definitions;
using Duraflow.Engine.Runs;

namespace Duraflow.Bench;

/// <summary>The pipeline shapes the scenarios run, as plans of no-op blocks.</summary>
internal static class RunShapes
{
    /// <summary><paramref name="count"/> blocks, each after the one before.</summary>
    public static RunPlan Chain(int count, string pipeline = "chain") =>
        Plan(pipeline, Enumerable.Range(0, count).Select(i => Block($"b{i}", i == 0 ? [] : [$"b{i - 1}"])));

    /// <summary>One block, <paramref name="width"/> blocks after it in parallel, and one block after them all.</summary>
    public static RunPlan FanOut(int width) =>
        Plan("fanout", [
            Block("start", []),
            .. Enumerable.Range(0, width).Select(i => Block($"f{i}", ["start"])),
            Block("join", [.. Enumerable.Range(0, width).Select(i => $"f{i}")]),
        ]);

    /// <summary>
    /// One block returning a list of <paramref name="items"/> numbers (<see cref="MappedList"/>), a block mapped over its
    /// items (one instance each, the fan-out read from data rather than drawn in the plan), and one block after them all.
    /// </summary>
    public static RunPlan Mapped(int items) =>
        Plan("mapped", [
            Block(MappedList, []) with { FanOut = true },
            Block("each", [MappedList]) with { MappedOver = MappedList },
            Block("join", ["each"]),
        ]);

    /// <summary>The block of <see cref="Mapped"/> whose output is the list; the no-op executor returns one for it.</summary>
    public const string MappedList = "list";

    /// <summary>
    /// <paramref name="depth"/> levels of <paramref name="width"/> blocks; each block after the blocks of the level above
    /// at its own index and the next (wrapping), so the graph is connected level to level like a real wide pipeline.
    /// </summary>
    public static RunPlan Dag(int width, int depth) =>
        Plan("dag", Enumerable.Range(0, depth).SelectMany(level => Enumerable.Range(0, width).Select(i => Block(
            $"l{level}_{i}",
            level == 0 ? [] : [$"l{level - 1}_{i}", $"l{level - 1}_{(i + 1) % width}"]))));

    private static RunPlan Plan(string pipeline, IEnumerable<BlockPlan> blocks) => new() { Pipeline = pipeline, Blocks = [.. blocks] };

    private static BlockPlan Block(string name, string[] upstream) =>
        new() { Name = name, Uses = new BlockUses(BlockKind.Script, "noop.csx"), Upstream = upstream.Distinct().ToArray(), Retry = RetryPolicy.Default };
}
