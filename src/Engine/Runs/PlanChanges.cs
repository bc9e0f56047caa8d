using System.Text.Json;

namespace Duraflow.Engine.Runs;

/// <summary>
/// Compares a run's pinned plan with a plan made from the files as they are now, to rerun only what changed: a block
/// whose settings, policies, upstream or file text differ, or that is new, and every block downstream of one.
/// </summary>
/// <remarks>
/// The rest keep their outputs: same definition, same upstream outputs, same run parameters, so running them again
/// would compute what they already hold. Pipeline-level keys (timeout, concurrency, parameter types) rerun nothing.
/// </remarks>
internal static class PlanChanges
{
    /// <summary>The blocks of <paramref name="refreshed"/> to run again, upstream before downstream.</summary>
    public static IReadOnlyList<string> Rerun(RunPlan pinned, RunPlan refreshed)
    {
        ArgumentNullException.ThrowIfNull(pinned);
        ArgumentNullException.ThrowIfNull(refreshed);
        var rerun = new HashSet<string>(StringComparer.Ordinal);
        foreach (var block in refreshed.Blocks)
        {
            // Blocks come upstream first, so an upstream block's verdict is known when its downstream block is checked.
            if (!pinned.Contains(block.Name)
                || block.Upstream.Any(rerun.Contains)
                || Fingerprint(refreshed, block) != Fingerprint(pinned, pinned.Block(block.Name)))
            {
                rerun.Add(block.Name);
            }
        }

        return [.. refreshed.Blocks.Select(b => b.Name).Where(rerun.Contains)];
    }

    // Everything that decides what the block computes: its plan entry and the text of the file it runs. Its SLA only
    // watches it and its cache policy only decides whether an output is reused, so changing them does not make it run again.
    private static string Fingerprint(RunPlan plan, BlockPlan block)
    {
        var file = block.Uses.IsFile && plan.Files.TryGetValue(block.Uses.Target, out var text) ? text : null;
        return JsonSerializer.Serialize(block with { Sla = null, Cache = null }, EngineJson.Options) + "\n" + file;
    }
}
