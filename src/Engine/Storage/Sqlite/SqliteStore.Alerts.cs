using Duraflow.Engine.Definitions;

namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>Alert deliveries in the <c>alert_deliveries</c> table, a row per delivery key, purged with the run.</summary>
internal sealed partial class SqliteStore
{
    /// <inheritdoc/>
    public Task RecordAlertAsync(string runId, AlertRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(record);
        return WriteAsync(transaction =>
        {
            // first_at keeps the order the run's alerts began in; the rest is the latest attempt's.
            using var upsert = Command(
                """
                INSERT INTO alert_deliveries (run_id, key, first_at, event, destination, block, status, attempts, detail, at)
                VALUES ($run, $key, $at, $event, $destination, $block, $status, $attempts, $detail, $at)
                ON CONFLICT (run_id, key) DO UPDATE SET status = $status, attempts = $attempts, detail = $detail, at = $at
                """,
                transaction, ("$run", runId), ("$key", record.Key), ("$at", record.At.ToUnixTimeMilliseconds()), ("$event", record.Event.ToString()),
                ("$destination", record.Destination.ToString()), ("$block", record.Block), ("$status", record.Status.ToString()),
                ("$attempts", record.Attempts), ("$detail", record.Detail));
            upsert.ExecuteNonQuery();
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<AlertRecord?> GetAlertAsync(string runId, string key, CancellationToken cancellationToken) => LockedAsync(() =>
    {
        using var command = Command($"{SelectAlerts} WHERE run_id = $run AND key = $key", null, ("$run", runId), ("$key", key));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadAlert(reader) : null;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<AlertRecord>> ListAlertsAsync(string runId, CancellationToken cancellationToken) => LockedAsync<IReadOnlyList<AlertRecord>>(() =>
    {
        using var command = Command($"{SelectAlerts} WHERE run_id = $run ORDER BY first_at, key", null, ("$run", runId));
        using var reader = command.ExecuteReader();
        var records = new List<AlertRecord>();
        while (reader.Read())
        {
            records.Add(ReadAlert(reader));
        }

        return records;
    }, cancellationToken);

    private const string SelectAlerts = "SELECT key, event, destination, block, status, attempts, detail, at FROM alert_deliveries";

    private static AlertRecord ReadAlert(Microsoft.Data.Sqlite.SqliteDataReader reader) => new(
        reader.GetString(0), Enum.Parse<AlertEvent>(reader.GetString(1)), Enum.Parse<AlertDestination>(reader.GetString(2)),
        reader.IsDBNull(3) ? null : reader.GetString(3), Enum.Parse<AlertDeliveryStatus>(reader.GetString(4)), reader.GetInt32(5),
        reader.GetString(6), FromMs(reader.GetValue(7))!.Value);
}
