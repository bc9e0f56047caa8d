using Azure.Data.Tables;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// Reading a run whole: its run entity, then its block rows. The rows are read across several requests, while other
/// processes may commit, so the read checks what it got against the version of the run entity it read first.
/// </summary>
/// <remarks>
/// A row newer than that version means the run moved on during the read. Then the reader reads the run entity again,
/// takes from the commits in between (each lists the blocks it changed) which rows to read again,
/// and repeats until no row is newer than the run entity: the result is the run exactly at that version, as one
/// transaction's read would have given it, and the version's ETag fences a commit made on it. A run that several
/// processes commit to many times a second may change in every round (a fan-out's summary block changes with each of
/// its items); after a few rounds the reader folds the run's events instead, which never change once written.
/// </remarks>
internal sealed partial class AzureStore
{
    // Catching up reads the changed rows one by one; more changes than this are cheaper to read in one scan.
    private const int RereadOneByOne = 200;

    // Rounds of catching up before folding the events instead: each round reads what changed during the one before,
    // which converges on a quiet run and may never on a busy one.
    private const int MaxCatchUpRounds = 3;

    // Plans by hash, for folding events (plans never change under their hash).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RunPlan> _plans = new(StringComparer.Ordinal);

    /// <summary>Tests set this to commit from elsewhere between a read's run entity and its block rows, and in each round of catching up.</summary>
    internal Func<string, Task>? WhileReading { get; set; }

    /// <inheritdoc/>
    public async Task<StoredRun?> GetRunAsync(string runId, CancellationToken cancellationToken)
    {
        // The staged changes of every split commit this read saw unfinished, read right after the run entity that named
        // them: rows read before those commits' rows were written are older than the changes, which take their place.
        var staged = new List<StagedBlocks>();
        var header = await ReadHeaderAsync(runId, staged, cancellationToken).ConfigureAwait(false);
        if (header is null)
        {
            return null;
        }

        if (!header.HasBlockRows)
        {
            _versions[runId] = KnownRun.From(header);
            header.State.RecountWaitingBlocks();
            return new StoredRun(header.State, header.Version);
        }

        if (WhileReading is { } racing)
        {
            await racing(runId).ConfigureAwait(false);
        }

        var rows = await ScanBlocksAsync(runId, cancellationToken).ConfigureAwait(false);
        if (await CatchUpAsync(runId, header, rows, staged, cancellationToken).ConfigureAwait(false) is not { } caughtUp)
        {
            return await FoldEventsAsync(runId, cancellationToken).ConfigureAwait(false);
        }

        foreach (var changes in staged.OrderBy(c => c.Version))
        {
            Overlay(rows, changes);
        }

        var state = caughtUp.State;
        foreach (var (key, (_, block)) in rows)
        {
            if (block is not null)
            {
                state.Blocks.Set(key, block);
            }
        }

        _versions[runId] = KnownRun.From(caughtUp);
        state.RecountWaitingBlocks();
        return new StoredRun(state, caughtUp.Version);
    }

    /// <summary>The run entity, and the staged changes it names, if it names any that still exist.</summary>
    private async Task<RunHeader?> ReadHeaderAsync(string runId, List<StagedBlocks> staged, CancellationToken cancellationToken)
    {
        var header = await ReadHeaderAsync(runId, cancellationToken).ConfigureAwait(false);

        // A blob already gone was written out before this point, so every row read from here on has its changes.
        if (header?.Pending is { } blob && await ReadStagedAsync(blob, cancellationToken).ConfigureAwait(false) is { } changes)
        {
            staged.Add(changes);
        }

        return header;
    }

    private async Task<RunHeader?> ReadHeaderAsync(string runId, CancellationToken cancellationToken)
    {
        var entity = await _runs.GetEntityIfExistsAsync<TableEntity>(RunPartition.Key(runId), RunPartition.RunRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? RunPartition.ReadRun(entity.Value!) : null;
    }

    private async Task<Dictionary<string, (long Version, BlockRunState? Block)>> ScanBlocksAsync(string runId, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, (long, BlockRunState?)>(StringComparer.Ordinal);
        await foreach (var entity in _runs.QueryAsync<TableEntity>(
            TableKeys.PrefixFilter(RunPartition.Key(runId), RunBlockRows.Prefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var (key, version, block) = RunBlockRows.Read(entity);
            rows[key] = (version, block);
        }

        return rows;
    }

    /// <summary>
    /// Brings <paramref name="rows"/>, read after <paramref name="header"/>, to one version; returns the run entity of
    /// that version, or null when the run kept changing.
    /// </summary>
    private async Task<RunHeader?> CatchUpAsync(
        string runId, RunHeader header, Dictionary<string, (long Version, BlockRunState? Block)> rows, List<StagedBlocks> staged,
        CancellationToken cancellationToken)
    {
        for (var round = 0; rows.Values.Any(r => r.Version > header.Version); round++)
        {
            if (round == MaxCatchUpRounds)
            {
                return null;
            }

            var newer = await ReadHeaderAsync(runId, staged, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"run {runId} disappeared while it was read");
            if (WhileReading is { } racing)
            {
                await racing(runId).ConfigureAwait(false);
            }

            var changed = await KeysChangedAsync(runId, header.Version, newer.Version, cancellationToken).ConfigureAwait(false);
            if (changed.Count > RereadOneByOne)
            {
                rows.Clear();
                foreach (var (key, row) in await ScanBlocksAsync(runId, cancellationToken).ConfigureAwait(false))
                {
                    rows[key] = row;
                }
            }
            else
            {
                await Parallel.ForEachAsync(
                    changed,
                    new ParallelOptions { MaxDegreeOfParallelism = _options.SendParallelism, CancellationToken = cancellationToken },
                    async (key, token) =>
                    {
                        var entity = await _runs.GetEntityIfExistsAsync<TableEntity>(RunPartition.Key(runId), RunBlockRows.RowKey(key), cancellationToken: token).ConfigureAwait(false);
                        lock (rows)
                        {
                            if (entity.HasValue)
                            {
                                var (_, version, block) = RunBlockRows.Read(entity.Value!);
                                rows[key] = (version, block);
                            }
                            else
                            {
                                // Staged and not written yet: the staged changes supply it.
                                rows.Remove(key);
                            }
                        }
                    }).ConfigureAwait(false);
            }

            header = newer;
        }

        return header;
    }

    /// <summary>
    /// The run rebuilt from its events up to the version its run entity has now. Events entities are written once and
    /// never changed, so this read cannot be torn by commits made while it goes on.
    /// </summary>
    internal async Task<StoredRun> FoldEventsAsync(string runId, CancellationToken cancellationToken)
    {
        var header = await ReadHeaderAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"run {runId} disappeared while it was read");
        var filter = $"PartitionKey eq '{TableKeys.Quote(RunPartition.Key(runId))}' and RowKey ge '{RunPartition.EventsPrefix}' "
            + $"and RowKey le '{RunPartition.EventsPrefix}{TableKeys.Number(header.Version)}'";
        var state = new RunState();
        RunPlan? plan = null;
        await foreach (var entity in _runs.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var e in RunPartition.ReadEvents(entity))
            {
                // The run's plan decides each event, and a retry on refreshed files switches it from that event on.
                var hash = e switch
                {
                    RunRequested requested => requested.DefinitionHash,
                    RunRetryRequested { DefinitionHash: { } refreshed } => refreshed,
                    _ => null,
                };
                if (hash is not null)
                {
                    plan = await CachedPlanAsync(hash, cancellationToken).ConfigureAwait(false);
                }

                RunEvolver.Evolve(plan ?? throw new InvalidDataException($"the first event of run {runId} is not its request"), state, e);
            }
        }

        if (state.Version != header.Version)
        {
            throw new InvalidDataException($"the events of run {runId} add up to version {state.Version}, but the run is at version {header.Version}");
        }

        _versions[runId] = KnownRun.From(header);
        return new StoredRun(state, header.Version);
    }

    private async Task<RunPlan> CachedPlanAsync(string hash, CancellationToken cancellationToken) =>
        _plans.TryGetValue(hash, out var plan) ? plan : _plans.GetOrAdd(hash, await GetPlanAsync(hash, cancellationToken).ConfigureAwait(false));

    /// <summary>The keys of the blocks changed by the commits after version <paramref name="after"/> up to <paramref name="through"/>.</summary>
    private async Task<HashSet<string>> KeysChangedAsync(string runId, long after, long through, CancellationToken cancellationToken)
    {
        var filter = $"PartitionKey eq '{TableKeys.Quote(RunPartition.Key(runId))}' and RowKey gt '{RunPartition.ChangesPrefix}{TableKeys.Number(after)}' "
            + $"and RowKey le '{RunPartition.ChangesPrefix}{TableKeys.Number(through)}'";
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var entity in _runs.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.UnionWith(RunPartition.ReadChangedBlocks(entity));
        }

        return keys;
    }

    // Staged changes replace the rows older than them; a row as new or newer already holds them, or what came after.
    private static void Overlay(Dictionary<string, (long Version, BlockRunState? Block)> rows, StagedBlocks staged)
    {
        foreach (var (key, json) in staged.Written)
        {
            if (!rows.TryGetValue(key, out var row) || row.Version < staged.Version)
            {
                rows[key] = (staged.Version, System.Text.Json.JsonSerializer.Deserialize<BlockRunState>(json, EngineJson.Options)
                    ?? throw new System.Text.Json.JsonException($"the staged state of block {key} is empty"));
            }
        }

        foreach (var key in staged.Removed)
        {
            if (!rows.TryGetValue(key, out var row) || row.Version < staged.Version)
            {
                rows[key] = (staged.Version, null);
            }
        }
    }
}
