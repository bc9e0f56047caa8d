using Duraflow.Engine.Runs;

namespace Duraflow.Cli.Commands;

/// <summary>Which retry to suggest after a run failed: the same definition again, or one on fixed files.</summary>
internal static class RetryAdvice
{
    /// <summary>
    /// True when every failed block's last failure could not be helped by trying again (bad data or definition, a
    /// script that throws NonRetryableBlockException): a plain retry would fail the same way.
    /// </summary>
    public static bool OnlyFixesHelp(RunState final, IReadOnlyList<RunEvent> events)
    {
        ArgumentNullException.ThrowIfNull(final);
        ArgumentNullException.ThrowIfNull(events);
        var failed = final.Blocks.Where(b => b.Value.Status == BlockStatus.Failed).Select(b => b.Key).ToHashSet(StringComparer.Ordinal);
        if (failed.Count == 0)
        {
            return false;
        }

        var lastFailure = events.OfType<BlockFailed>().Where(f => failed.Contains(f.Key))
            .GroupBy(f => f.Key, StringComparer.Ordinal).Select(g => g.Last());
        return lastFailure.All(f => !f.Retryable) && lastFailure.Count() == failed.Count;
    }
}
