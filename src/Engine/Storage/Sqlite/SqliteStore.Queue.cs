using System.Globalization;

namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>The queue side of the SQLite store: leases are a token plus a visibility time on the message row.</summary>
internal sealed partial class SqliteStore
{
    /// <inheritdoc/>
    public Task<IReadOnlyList<LeasedWork>> DequeueAsync(string queue, int max, TimeSpan lease, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<LeasedWork>>(transaction =>
        {
            var now = Now;
            var token = Guid.NewGuid().ToString("N");

            // The due rows and when each became visible, read before the lease overwrites it; the update then leases
            // exactly those (nothing else writes in between: this is one write transaction).
            var visibleSince = new Dictionary<long, long>();
            using (var due = Prepared(
                "SELECT id, visible_at FROM work WHERE queue = $q AND visible_at <= $now ORDER BY visible_at, id LIMIT $max",
                transaction, ("$q", queue), ("$now", now), ("$max", max)).ExecuteReader())
            {
                while (due.Read())
                {
                    visibleSince[due.GetInt64(0)] = due.GetInt64(1);
                }
            }

            if (visibleSince.Count == 0)
            {
                return [];
            }

            var command = Prepared(
                """
                UPDATE work SET lease_token = $token, visible_at = $until, deliveries = deliveries + 1
                WHERE id IN (SELECT value FROM json_each($ids))
                RETURNING id, queue, run_id, key, body, deliveries
                """,
                transaction, ("$token", token), ("$until", now + (long)lease.TotalMilliseconds), ("$ids", System.Text.Json.JsonSerializer.Serialize(visibleSince.Keys)));
            using var reader = command.ExecuteReader();
            var leased = new List<(long Id, LeasedWork Work)>();
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                leased.Add((id, new LeasedWork(
                    id.ToString(CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5), token,
                    DateTimeOffset.FromUnixTimeMilliseconds(visibleSince[id]))));
            }

            return [.. leased.OrderBy(w => w.Id).Select(w => w.Work)];
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> RenewAsync(LeasedWork work, TimeSpan lease, CancellationToken cancellationToken) => WriteAsync(transaction =>
    {
        ArgumentNullException.ThrowIfNull(work);
        using var command = Command(
            "UPDATE work SET visible_at = $until WHERE id = $id AND lease_token = $token",
            transaction, ("$until", Now + (long)lease.TotalMilliseconds), ("$id", RowId(work)), ("$token", work.LeaseToken));
        return command.ExecuteNonQuery() == 1;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task ReleaseAsync(LeasedWork work, TimeSpan delay, CancellationToken cancellationToken) => WriteAsync(transaction =>
    {
        ArgumentNullException.ThrowIfNull(work);
        using var command = Command(
            "UPDATE work SET visible_at = $at, lease_token = NULL, deliveries = MAX(deliveries - 1, 0) WHERE id = $id AND lease_token = $token",
            transaction, ("$at", Now + (long)delay.TotalMilliseconds), ("$id", RowId(work)), ("$token", work.LeaseToken));
        return command.ExecuteNonQuery();
    }, cancellationToken);

    /// <inheritdoc/>
    public Task CompleteAsync(LeasedWork work, CancellationToken cancellationToken) => WriteAsync(transaction =>
    {
        ArgumentNullException.ThrowIfNull(work);
        var command = Prepared("DELETE FROM work WHERE id = $id AND lease_token = $token", transaction, ("$id", RowId(work)), ("$token", work.LeaseToken));
        return command.ExecuteNonQuery();
    }, cancellationToken);

    private static long RowId(LeasedWork work) => long.Parse(work.Id, CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public Task<DateTimeOffset?> NextVisibleAtAsync(string queue, CancellationToken cancellationToken) => LockedAsync(() =>
    {
        var command = Prepared("SELECT MIN(visible_at) FROM work WHERE queue = $q", null, ("$q", queue));
        var value = command.ExecuteScalar();
        return value is null or DBNull ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, CultureInfo.InvariantCulture));
    }, cancellationToken);
}
