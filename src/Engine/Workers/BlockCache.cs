using System.Text;
using Duraflow.Engine.Runs;
using Duraflow.Engine.Storage;

namespace Duraflow.Engine.Workers;

/// <summary>
/// Finds and keeps block outputs under their cache keys (<see cref="BlockCacheKey"/>), in the run store's entries,
/// which every run and worker of the store share. A hit gives the attempt a copy of the cached output under its own
/// run, so that purging the run that computed it later takes nothing from this one.
/// </summary>
internal sealed class BlockCache(IRunStore store, IArtifactStore artifacts, TimeProvider time)
{
    /// <summary>
    /// The usable entry for <paramref name="key"/>: present, younger than the block's current TTL, and with its output
    /// still stored (the run that computed it may have been purged). Null for a miss.
    /// </summary>
    public async Task<CacheEntry?> FindAsync(RunPlan plan, BlockPlan block, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(block);
        var entry = await store.GetCacheEntryAsync(plan.Pipeline, block.Name, key, cancellationToken).ConfigureAwait(false);
        if (entry is null || (block.Cache?.Ttl is { } ttl && time.GetUtcNow() - entry.CreatedAt >= ttl))
        {
            return null;
        }

        return OutputReference.TryGetInlineJson(entry.Output, out _) || await artifacts.ExistsAsync(entry.Output, cancellationToken).ConfigureAwait(false)
            ? entry
            : null;
    }

    /// <summary>
    /// Copies <paramref name="entry"/>'s output to this attempt's place and returns its reference (an inline output is
    /// its own copy); null when the output vanished since it was found.
    /// </summary>
    public async Task<string?> CopyAsync(CacheEntry entry, string runId, string instanceKey, int attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (OutputReference.TryGetInlineJson(entry.Output, out _))
        {
            return entry.Output;
        }

        var table = entry.Output.EndsWith(BlockInputs.TableSuffix, StringComparison.Ordinal);
        var copy = $"runs/{runId}/{instanceKey}/attempt-{attempt}{(table ? BlockInputs.TableSuffix : ".json")}";
        try
        {
            if (table)
            {
                // The store takes the file it is given over, so it gets a scratch copy, not the cached one.
                var source = await artifacts.GetLocalPathAsync(entry.Output, cancellationToken).ConfigureAwait(false);
                Directory.CreateDirectory(artifacts.ScratchDirectory);
                var scratch = Path.Combine(artifacts.ScratchDirectory, $"{runId}-{Guid.NewGuid():N}{BlockInputs.TableSuffix}");
                File.Copy(source, scratch);
                await artifacts.WriteFileAsync(copy, scratch, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                var bytes = await artifacts.ReadAsync(entry.Output, cancellationToken).ConfigureAwait(false);
                await artifacts.WriteAsync(copy, bytes, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Purged with the run that computed it, between the look and the copy.
            return null;
        }

        return copy;
    }

    /// <summary>Keeps a computed output under <paramref name="key"/>; the last computation of a key replaces the one before.</summary>
    public Task StoreAsync(RunPlan plan, BlockPlan block, string key, BlockSucceeded computed, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(computed);
        var now = time.GetUtcNow();
        var entry = new CacheEntry(plan.Pipeline, block.Name, key, computed.Output, computed.Items, runId, computed.Key, computed.Attempt, now, now + block.Cache?.Ttl);
        return store.PutCacheEntryAsync(entry, cancellationToken);
    }

    /// <summary>How a hit is told in the block's log.</summary>
    public static string Describe(CacheEntry entry, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var text = new StringBuilder($"cached: reused the output of run {entry.RunId} ({entry.InstanceKey}, attempt {entry.Attempt}), computed ");
        text.Append(Blocks.Text.Duration.Format(now - entry.CreatedAt)).Append(" ago; the block's code did not run");
        return text.ToString();
    }
}
