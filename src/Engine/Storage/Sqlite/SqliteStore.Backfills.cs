using System.Globalization;
using System.Text.Json;
using Duraflow.Engine.Runs;

namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>Backfills in the <c>backfills</c> table: the record as JSON under a version that each change raises.</summary>
internal sealed partial class SqliteStore
{
    private const string SelectBackfills = "SELECT body, version FROM backfills";

    /// <inheritdoc/>
    public Task AddBackfillAsync(Backfill backfill, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backfill);
        return WriteAsync(transaction =>
        {
            using var insert = Command(
                "INSERT INTO backfills (id, pipeline, status, created_at, body, version) VALUES ($id, $pipeline, $status, $created, $body, 1)", transaction,
                ("$id", backfill.Id), ("$pipeline", backfill.Pipeline), ("$status", backfill.Status.ToString()), ("$created", Ms(backfill.CreatedAt)),
                ("$body", JsonSerializer.Serialize(backfill, EngineJson.Options)));
            return insert.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<StoredBackfill?> GetBackfillAsync(string id, CancellationToken cancellationToken) => LockedAsync(() =>
    {
        using var command = Command($"{SelectBackfills} WHERE id = $id", null, ("$id", id));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadBackfill(reader) : null;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredBackfill>> ListBackfillsAsync(string? pipeline, bool runningOnly, CancellationToken cancellationToken) =>
        LockedAsync<IReadOnlyList<StoredBackfill>>(() =>
        {
            using var command = Command(
                $"{SelectBackfills} WHERE ($pipeline IS NULL OR pipeline = $pipeline) AND ($running = 0 OR status = 'Running') ORDER BY created_at DESC, id DESC", null,
                ("$pipeline", pipeline), ("$running", runningOnly ? 1 : 0));
            using var reader = command.ExecuteReader();
            var listed = new List<StoredBackfill>();
            while (reader.Read())
            {
                listed.Add(ReadBackfill(reader));
            }

            return listed;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> TryUpdateBackfillAsync(Backfill backfill, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backfill);
        return WriteAsync(transaction =>
        {
            using var update = Command(
                "UPDATE backfills SET status = $status, body = $body, version = version + 1 WHERE id = $id AND version = $version", transaction,
                ("$id", backfill.Id), ("$status", backfill.Status.ToString()), ("$body", JsonSerializer.Serialize(backfill, EngineJson.Options)),
                ("$version", long.Parse(version, CultureInfo.InvariantCulture)));
            return update.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    private static StoredBackfill ReadBackfill(Microsoft.Data.Sqlite.SqliteDataReader reader) => new(
        JsonSerializer.Deserialize<Backfill>(reader.GetString(0), EngineJson.Options)!, reader.GetInt64(1).ToString(CultureInfo.InvariantCulture));
}
