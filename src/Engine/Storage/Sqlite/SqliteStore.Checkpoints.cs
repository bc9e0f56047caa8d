using System.Text.Json;

namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>Checkpoints in the <c>checkpoints</c> table, listed, set and deleted by hand.</summary>
internal sealed partial class SqliteStore
{
    /// <inheritdoc/>
    public Task<IReadOnlyList<CheckpointValue>> ListCheckpointsAsync(string pipeline, CancellationToken cancellationToken) =>
        LockedAsync<IReadOnlyList<CheckpointValue>>(() =>
        {
            using var command = Command("SELECT name, value, updated_at FROM checkpoints WHERE pipeline = $p ORDER BY name", null, ("$p", pipeline));
            using var reader = command.ExecuteReader();
            var listed = new List<CheckpointValue>();
            while (reader.Read())
            {
                using var value = JsonDocument.Parse(reader.GetString(1));
                listed.Add(new CheckpointValue(reader.GetString(0), value.RootElement.Clone(), FromMs(reader.GetValue(2))!.Value));
            }

            return listed;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task SetCheckpointAsync(string pipeline, string name, JsonElement value, CancellationToken cancellationToken) => WriteAsync(transaction =>
    {
        using var upsert = Command(
            """
            INSERT INTO checkpoints (pipeline, name, value, updated_at) VALUES ($p, $n, $v, $at)
            ON CONFLICT (pipeline, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """,
            transaction, ("$p", pipeline), ("$n", name), ("$v", value.GetRawText()), ("$at", Now));
        return upsert.ExecuteNonQuery();
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<int> DeleteCheckpointsAsync(string pipeline, string? name, CancellationToken cancellationToken) => WriteAsync(transaction =>
    {
        using var delete = Command("DELETE FROM checkpoints WHERE pipeline = $p AND ($n IS NULL OR name = $n)", transaction, ("$p", pipeline), ("$n", name));
        return delete.ExecuteNonQuery();
    }, cancellationToken);
}
