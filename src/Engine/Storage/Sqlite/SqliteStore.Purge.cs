using System.Globalization;
using System.Text.Json;

namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>
/// Purging finished runs: each batch is one write transaction that checks every run is still at the version it was
/// found at, then deletes its rows and its output folder. A run retried meanwhile has moved on and stays; a commit to
/// a purged run finds no run and fails as a conflict would.
/// </summary>
internal sealed partial class SqliteStore
{
    // The statuses of a run that has ended, as the runs table spells them.
    private const string Ended = "('succeeded', 'failed', 'cancelled')";

    // Everything a run owns, the run row last; plans (shared by hash), checkpoints and schedule marks stay.
    private static readonly string[] PurgeStatements =
    [
        "DELETE FROM events WHERE run_id IN (SELECT value FROM json_each($ids))",
        "DELETE FROM run_blocks WHERE run_id IN (SELECT value FROM json_each($ids))",
        "DELETE FROM logs WHERE run_id IN (SELECT value FROM json_each($ids))",
        "DELETE FROM alert_deliveries WHERE run_id IN (SELECT value FROM json_each($ids))",
        "DELETE FROM cache_entries WHERE run_id IN (SELECT value FROM json_each($ids))",
        "DELETE FROM dead_letters WHERE run_id IN (SELECT value FROM json_each($ids))",
        "DELETE FROM work WHERE run_id IN (SELECT value FROM json_each($ids))",
        "DELETE FROM runs WHERE id IN (SELECT value FROM json_each($ids))",
    ];

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> PurgeRunsAsync(
        IReadOnlyList<RunSummary> runs, DateTimeOffset endedBefore, Func<ExternalHistory, CancellationToken, Task<bool>> purgeHistory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(purgeHistory);
        if (runs.Count == 0)
        {
            return [];
        }

        var found = await LockedAsync(() =>
        {
            using var command = Command(
                $"""
                SELECT id, version, json_extract(snapshot, '$.runtime'), COALESCE(json_extract(snapshot, '$.round'), 0) FROM runs
                WHERE id IN (SELECT value FROM json_each($ids)) AND status IN {Ended} AND ended_at < $before
                """,
                null, ("$ids", JsonSerializer.Serialize(runs.Select(r => r.RunId))), ("$before", Ms(endedBefore)));
            using var reader = command.ExecuteReader();
            var rows = new List<(string Id, long Version, string? Runtime, int Round)>();
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt32(3)));
            }

            return rows;
        }, cancellationToken).ConfigureAwait(false);

        // Outside the transaction: a runtime's history is in its own storage, reached over the network.
        var ready = new List<(string Id, long Version)>();
        foreach (var run in found)
        {
            if (run.Runtime is null || await purgeHistory(new ExternalHistory(run.Id, run.Runtime, run.Round), cancellationToken).ConfigureAwait(false))
            {
                ready.Add((run.Id, run.Version));
            }
        }

        if (ready.Count == 0)
        {
            return [];
        }

        return await WriteAsync<IReadOnlyList<string>>(transaction =>
        {
            var purged = new List<string>();
            foreach (var (id, version) in ready)
            {
                var same = Prepared("SELECT COUNT(*) FROM runs WHERE id = $id AND version = $v", transaction, ("$id", id), ("$v", version));
                if (Convert.ToInt64(same.ExecuteScalar(), CultureInfo.InvariantCulture) != 1)
                {
                    // Retried (or purged by another process) since it was found.
                    continue;
                }

                // Inside the transaction: if it fails, the run is still listed and the next purge takes what is left.
                _outputs?.DeleteRunOutputs(id);
                purged.Add(id);
            }

            if (purged.Count > 0)
            {
                var ids = JsonSerializer.Serialize(purged);
                foreach (var sql in PurgeStatements)
                {
                    using var delete = Command(sql, transaction, ("$ids", ids));
                    delete.ExecuteNonQuery();
                }
            }

            return purged;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>Every process may purge: their transactions take turns on the file, and each run is removed once.</remarks>
    public Task<bool> TryTakePurgeTurnAsync(CancellationToken cancellationToken) => Task.FromResult(true);
}
