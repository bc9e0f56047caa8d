using System.Globalization;
using System.Text.Json;
using Duraflow.Engine.Runs;
using Microsoft.Data.Sqlite;

namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode holding runs, events, plans, both work queues, logs and
/// checkpoints, so one transaction covers a decision's events, snapshot, outgoing work and consumed message.
/// One connection per process, used under a lock: SQLite has a single writer anyway, and other processes on the
/// same file are serialized by SQLite's own file locks.
/// </summary>
internal sealed partial class SqliteStore : IRunStore, IWorkQueues, IRunPurge, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;
    private readonly LocalArtifactStore? _outputs;
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    private SqliteStore(SqliteConnection connection, TimeProvider time, LocalArtifactStore? outputs)
    {
        _connection = connection;
        _time = time;
        _outputs = outputs;
    }

    /// <summary>
    /// Opens (creating if needed) the store file at <paramref name="path"/> and migrates it. <paramref name="outputs"/>
    /// is where its runs' block outputs are, which a purge removes with the runs.
    /// </summary>
    public static SqliteStore Open(
        string path, SqliteDurability durability = SqliteDurability.Full, TimeProvider? time = null, string? displayPath = null, LocalArtifactStore? outputs = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var shown = displayPath ?? path;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (!File.Exists(path))
        {
            // SQLite would replay a write-ahead log left from a deleted store onto the new one, bringing back pages of
            // the old database into it.
            if (File.Exists($"{path}-wal"))
            {
                throw new StoreUnavailableException(
                    $"the run store {shown} is gone but its write-ahead log {shown}-wal is still there; move {shown}-wal and {shown}-shm aside too, "
                    + "or put back the store file they belong to");
            }

            SqliteStoreCreation.Create(path, shown);
        }

        // A store file only ever appears whole (SqliteStoreCreation), so an empty one was truncated. SQLite would take
        // it for an empty database and start again with no runs, checkpoints or schedule marks, and nobody would notice.
        if (new FileInfo(path).Length == 0)
        {
            throw new StoreUnavailableException(
                $"the run store {shown} is an empty file (0 bytes), not a Duraflow store: its runs are gone. Delete it, with {shown}-wal and "
                + $"{shown}-shm if they are there, to start a new, empty store, or put back a copy from a backup");
        }

        var connection = Connect(path);
        try
        {
            connection.Open();
            Pragma(connection, "PRAGMA journal_mode=WAL");
            Pragma(connection, durability == SqliteDurability.Full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
            Pragma(connection, "PRAGMA busy_timeout=60000");
            SqliteMigrations.Apply(connection, shown);
            return new SqliteStore(connection, time ?? TimeProvider.System, outputs);
        }
        catch (SqliteException e) when (SqliteDamage.IsDamage(e))
        {
            connection.Dispose();
            throw new StoreUnavailableException(SqliteDamage.Describe(shown, e), e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>A connection to the store file at <paramref name="path"/>, not yet open.</summary>
    internal static SqliteConnection Connect(string path) => new(new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = false,
        DefaultTimeout = 60,
    }.ToString());

    /// <summary>Runs a statement whose result does not matter, such as a PRAGMA.</summary>
    internal static void Pragma(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }

        _connection.Dispose();
        _gate.Dispose();
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private static DateTimeOffset? FromMs(object value) =>
        value is DBNull ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, CultureInfo.InvariantCulture));

    private async Task<T> LockedAsync<T>(Func<T> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return action();
        }
        finally
        {
            _gate.Release();
        }
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>
    /// A command for <paramref name="sql"/> kept prepared for the store's lifetime, with these parameter values: the
    /// statements every block runs skip SQLite's parsing, which otherwise costs as much as executing them. Owned by the
    /// store; callers do not dispose it, and use it under the gate like any other.
    /// </summary>
    private SqliteCommand Prepared(string sql, SqliteTransaction? transaction, params (string Name, object? Value)[] parameters)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _prepared.Add(sql, command);
        }

        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }

        return command;
    }

    /// <inheritdoc/>
    public Task CommitAsync(RunCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return WriteAsync(transaction =>
        {
            if (commit.ConcurrencyLimit is { } limit)
            {
                using var count = Command(
                    "SELECT COUNT(*) FROM runs WHERE pipeline = $p AND status IN ('running', 'cancelling') AND id <> $id",
                    transaction, ("$p", commit.State.Pipeline), ("$id", commit.RunId));
                if (Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture) >= limit)
                {
                    throw new ConcurrencyLimitReachedException($"pipeline {commit.State.Pipeline} already has {limit} run(s) running (concurrency: {limit})");
                }
            }

            WriteRun(commit, transaction);
            try
            {
                WriteEvents(commit, transaction);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                throw new ConcurrencyConflictException($"another writer appended events to run {commit.RunId} first", ex);
            }

            foreach (var item in commit.Outgoing)
            {
                var insert = Prepared(
                    "INSERT INTO work (queue, run_id, key, body, visible_at) VALUES ($q, $r, $k, $b, $v) ON CONFLICT (key) DO NOTHING",
                    transaction, ("$q", item.Queue), ("$r", item.RunId), ("$k", item.Key), ("$b", item.Body), ("$v", Ms(item.VisibleAt)));
                insert.ExecuteNonQuery();
            }

            if (commit.Consumed is { } consumed)
            {
                Consume(consumed, commit.DeadLetterReason, transaction);
            }

            foreach (var also in commit.AlsoConsumed)
            {
                Consume(also, null, transaction);
            }

            WriteLogsAndCheckpoints(commit, transaction);
            return true;
        }, cancellationToken);
    }

    private void WriteRun(RunCommit commit, SqliteTransaction transaction)
    {
        var state = commit.State;
        var version = commit.ExpectedVersion + commit.Events.Count;
        // A run's first commit pins its plan; a retry on refreshed files pins the new one, which the state then names.
        if (commit.Plan is { } plan)
        {
            using var insertPlan = Command(
                "INSERT INTO plans (hash, pipeline, body, created_at) VALUES ($h, $p, $b, $at) ON CONFLICT (hash) DO NOTHING",
                transaction, ("$h", state.DefinitionHash), ("$p", plan.Pipeline), ("$b", plan.ToJson()), ("$at", Now));
            insertPlan.ExecuteNonQuery();
        }

        if (commit.ExpectedVersion == 0)
        {
            using var insert = Command(
                """
                INSERT INTO runs (id, pipeline, status, trigger_name, version, definition_hash, idempotency_key, requested_at, started_at, ended_at, snapshot, waiting)
                VALUES ($id, $p, $s, $t, $v, $h, $k, $req, $start, $end, $snap, $w)
                """,
                transaction, ("$id", commit.RunId), ("$p", state.Pipeline), ("$s", state.Status.ToSnakeCase()), ("$t", state.Trigger),
                ("$v", version), ("$h", state.DefinitionHash), ("$k", commit.IdempotencyKey), ("$req", Ms(state.RequestedAt)),
                ("$start", state.StartedAt is { } s ? Ms(s) : null), ("$end", state.EndedAt is { } e ? Ms(e) : null), ("$snap", state.ToJsonWithoutBlocks()), ("$w", state.IsWaiting ? 1 : 0));
            try
            {
                insert.ExecuteNonQuery();
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                throw new ConcurrencyConflictException($"run {commit.RunId} (or its idempotency key) already exists", ex);
            }

            WriteBlocks(commit.RunId, state, state.Blocks.Keys, [], transaction);
            return;
        }

        var update = Prepared(
            """
            UPDATE runs SET status = $s, version = $v, started_at = $start, ended_at = $end, snapshot = $snap, definition_hash = $h, waiting = $w
            WHERE id = $id AND version = $expected
            """,
            transaction, ("$id", commit.RunId), ("$s", state.Status.ToSnakeCase()), ("$v", version), ("$expected", commit.ExpectedVersion), ("$h", state.DefinitionHash),
            ("$start", state.StartedAt is { } st ? Ms(st) : null), ("$end", state.EndedAt is { } en ? Ms(en) : null), ("$snap", state.ToJsonWithoutBlocks()), ("$w", state.IsWaiting ? 1 : 0));
        if (update.ExecuteNonQuery() != 1)
        {
            throw new ConcurrencyConflictException($"run {commit.RunId} changed since version {commit.ExpectedVersion} was read");
        }

        if (commit.BlockChanges is { } changes)
        {
            WriteBlocks(commit.RunId, state, changes.Written, changes.Removed, transaction);
        }
        else
        {
            using var clear = Command("DELETE FROM run_blocks WHERE run_id = $r", transaction, ("$r", commit.RunId));
            clear.ExecuteNonQuery();
            WriteBlocks(commit.RunId, state, state.Blocks.Keys, [], transaction);
        }
    }

    /// <summary>Writes the <paramref name="written"/> blocks of <paramref name="state"/> and deletes the <paramref name="removed"/> ones.</summary>
    private void WriteBlocks(string runId, RunState state, IEnumerable<string> written, IEnumerable<string> removed, SqliteTransaction transaction)
    {
        // One prepared statement for all rows: a run's creation writes every block, perhaps thousands.
        var upsert = Prepared(
            "INSERT INTO run_blocks (run_id, key, body) VALUES ($r, $k, $b) ON CONFLICT (run_id, key) DO UPDATE SET body = excluded.body",
            transaction, ("$r", runId), ("$k", ""), ("$b", ""));
        foreach (var key in written)
        {
            upsert.Parameters["$k"].Value = key;
            upsert.Parameters["$b"].Value = JsonSerializer.Serialize(state.Block(key), EngineJson.Options);
            upsert.ExecuteNonQuery();
        }

        var delete = Prepared("DELETE FROM run_blocks WHERE run_id = $r AND key = $k", transaction, ("$r", runId), ("$k", ""));
        foreach (var key in removed)
        {
            delete.Parameters["$k"].Value = key;
            delete.ExecuteNonQuery();
        }
    }

    private void WriteEvents(RunCommit commit, SqliteTransaction transaction)
    {
        var seq = commit.ExpectedVersion;
        foreach (var e in commit.Events)
        {
            seq++;
            var insert = Prepared(
                "INSERT INTO events (run_id, seq, type, at, body) VALUES ($r, $s, $t, $at, $b)",
                transaction, ("$r", commit.RunId), ("$s", seq), ("$t", e.GetType().Name), ("$at", Ms(e.At)),
                ("$b", JsonSerializer.Serialize(e, EngineJson.Options)));
            insert.ExecuteNonQuery();
        }
    }

    private void Consume(LeasedWork consumed, string? deadLetterReason, SqliteTransaction transaction)
    {
        if (deadLetterReason is not null)
        {
            using var copy = Command(
                """
                INSERT INTO dead_letters (queue, run_id, key, body, deliveries, reason, at)
                SELECT queue, run_id, key, body, deliveries, $reason, $at FROM work WHERE id = $id AND lease_token = $token
                """,
                transaction, ("$reason", deadLetterReason), ("$at", Now), ("$id", RowId(consumed)), ("$token", consumed.LeaseToken));
            copy.ExecuteNonQuery();
        }

        var delete = Prepared("DELETE FROM work WHERE id = $id AND lease_token = $token", transaction, ("$id", RowId(consumed)), ("$token", consumed.LeaseToken));
        if (delete.ExecuteNonQuery() != 1)
        {
            throw new LeaseLostException($"the lease on {consumed.Key} ended and another worker took it over");
        }
    }

    private void WriteLogsAndCheckpoints(RunCommit commit, SqliteTransaction transaction)
    {
        foreach (var line in commit.Logs)
        {
            var insert = Prepared(
                "INSERT INTO logs (run_id, block, attempt, at, level, message) VALUES ($r, $b, $a, $at, $l, $m)",
                transaction, ("$r", commit.RunId), ("$b", line.Block), ("$a", line.Attempt), ("$at", Ms(line.At)), ("$l", line.Level), ("$m", line.Message));
            insert.ExecuteNonQuery();
        }

        foreach (var (name, value) in commit.Checkpoints)
        {
            using var upsert = Command(
                """
                INSERT INTO checkpoints (pipeline, name, value, updated_at) VALUES ($p, $n, $v, $at)
                ON CONFLICT (pipeline, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """,
                transaction, ("$p", commit.State.Pipeline), ("$n", name), ("$v", value.GetRawText()), ("$at", Now));
            upsert.ExecuteNonQuery();
        }
    }
}
