using System.Globalization;
using System.Text.Json;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>The read side of the SQLite store: snapshots, events, listings, logs and checkpoints.</summary>
internal sealed partial class SqliteStore
{
    /// <inheritdoc/>
    public Task<StoredRun?> GetRunAsync(string runId, CancellationToken cancellationToken) => LockedAsync(() =>
    {
        var command = Prepared("SELECT snapshot, version FROM runs WHERE id = $id", null, ("$id", runId));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var state = RunState.FromJson(reader.GetString(0));
        var version = reader.GetInt64(1);
        var blocks = Prepared("SELECT key, body FROM run_blocks WHERE run_id = $id", null, ("$id", runId));
        using var rows = blocks.ExecuteReader();
        while (rows.Read())
        {
            state.Blocks.Set(rows.GetString(0), JsonSerializer.Deserialize<BlockRunState>(rows.GetString(1), EngineJson.Options)
                ?? throw new JsonException($"the stored state of block {rows.GetString(0)} of run {runId} is empty"));
        }

        state.RecountWaitingBlocks();
        return new StoredRun(state, version);
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<RunPlan> GetPlanAsync(string hash, CancellationToken cancellationToken) => LockedAsync(() =>
    {
        using var command = Command("SELECT body FROM plans WHERE hash = $h", null, ("$h", hash));
        return command.ExecuteScalar() is string body
            ? RunPlan.FromJson(body)
            : throw new InvalidOperationException($"the store has no pinned definition {hash}");
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<RunEvent>> GetEventsAsync(string runId, CancellationToken cancellationToken) => LockedAsync<IReadOnlyList<RunEvent>>(() =>
    {
        using var command = Command("SELECT body FROM events WHERE run_id = $r ORDER BY seq", null, ("$r", runId));
        using var reader = command.ExecuteReader();
        var events = new List<RunEvent>();
        while (reader.Read())
        {
            events.Add(JsonSerializer.Deserialize<RunEvent>(reader.GetString(0), EngineJson.Options)!);
        }

        return events;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken) => LockedAsync<IReadOnlyList<RunSummary>>(() =>
    {
        ArgumentNullException.ThrowIfNull(query);
        using var command = Command(
            """
            SELECT id, pipeline, status, trigger_name, requested_at, started_at, ended_at, waiting FROM runs
            WHERE ($p IS NULL OR pipeline = $p) AND ($s IS NULL OR status = $s) AND ($w = 0 OR waiting = 1)
              AND ($from IS NULL OR requested_at >= $from) AND ($before IS NULL OR requested_at < $before)
              AND ($at IS NULL OR requested_at < $at OR (requested_at = $at AND id < $id))
            ORDER BY requested_at DESC, id DESC LIMIT $limit
            """,
            null, ("$p", query.Pipeline), ("$s", query.Status?.ToSnakeCase()), ("$w", query.WaitingOnly ? 1 : 0), ("$limit", query.Limit),
            ("$from", query.RequestedFrom is { } from ? Ms(from) : null), ("$before", query.RequestedBefore is { } before ? Ms(before) : null),
            ("$at", query.After is { } after ? Ms(after.RequestedAt) : null), ("$id", query.After?.RunId));
        using var reader = command.ExecuteReader();
        var runs = new List<RunSummary>();
        while (reader.Read())
        {
            runs.Add(new RunSummary(
                reader.GetString(0), reader.GetString(1), ParseStatus(reader.GetString(2)), reader.GetString(3),
                FromMs(reader.GetValue(4))!.Value, FromMs(reader.GetValue(5)), FromMs(reader.GetValue(6)), reader.GetInt64(7) == 1));
        }

        return runs;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<string?> FindRunByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken) => LockedAsync(() =>
    {
        using var command = Command("SELECT id FROM runs WHERE idempotency_key = $k", null, ("$k", idempotencyKey));
        return command.ExecuteScalar() as string;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<int> CountActiveRunsAsync(string pipeline, CancellationToken cancellationToken) => LockedAsync(() =>
    {
        using var command = Command("SELECT COUNT(*) FROM runs WHERE pipeline = $p AND status IN ('running', 'cancelling')", null, ("$p", pipeline));
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<int> CountUnfinishedRunsAsync(CancellationToken cancellationToken) => LockedAsync(() =>
    {
        using var command = Command("SELECT COUNT(*) FROM runs WHERE status IN ('pending', 'running', 'cancelling')");
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<LogLine>> GetLogsAsync(string runId, string? block, CancellationToken cancellationToken) => LockedAsync<IReadOnlyList<LogLine>>(() =>
    {
        using var command = Command(
            "SELECT at, block, attempt, level, message FROM logs WHERE run_id = $r AND ($b IS NULL OR block = $b OR block LIKE $items) ORDER BY id",
            null, ("$r", runId), ("$b", block), ("$items", block is null ? null : block + "[%"));
        using var reader = command.ExecuteReader();
        var lines = new List<LogLine>();
        while (reader.Read())
        {
            lines.Add(new LogLine(FromMs(reader.GetValue(0))!.Value, reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4)));
        }

        return lines;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<JsonElement?> GetCheckpointAsync(string pipeline, string name, CancellationToken cancellationToken) => LockedAsync(() =>
    {
        using var command = Command("SELECT value FROM checkpoints WHERE pipeline = $p AND name = $n", null, ("$p", pipeline), ("$n", name));
        return command.ExecuteScalar() is string value ? JsonDocument.Parse(value).RootElement.Clone() : (JsonElement?)null;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string runId, CancellationToken cancellationToken) => LockedAsync<IReadOnlyList<DeadLetter>>(() =>
    {
        using var command = Command("SELECT queue, key, deliveries, reason, at FROM dead_letters WHERE run_id = $r ORDER BY id", null, ("$r", runId));
        using var reader = command.ExecuteReader();
        var letters = new List<DeadLetter>();
        while (reader.Read())
        {
            letters.Add(new DeadLetter(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), FromMs(reader.GetValue(4))!.Value));
        }

        return letters;
    }, cancellationToken);

    private static RunStatus ParseStatus(string text) => Enum.Parse<RunStatus>(text, ignoreCase: true);
}
