using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>The audit log in the <c>audit_log</c> table.</summary>
internal sealed partial class SqliteStore : IAuditLog
{
    private const string AuditColumns = "id, at, actor, actor_kind, action, target, parameters, result, client";

    /// <inheritdoc/>
    public Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WriteAsync(transaction =>
        {
            using var insert = Command(
                $"INSERT INTO audit_log ({AuditColumns}) VALUES ($id, $at, $actor, $kind, $action, $target, $params, $result, $client)",
                transaction, ("$id", entry.Id), ("$at", Ms(entry.At)), ("$actor", entry.Actor), ("$kind", entry.ActorKind), ("$action", entry.Action),
                ("$target", entry.Target), ("$params", entry.Parameters?.GetRawText()), ("$result", entry.Result), ("$client", entry.Client));
            return insert.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return LockedAsync<IReadOnlyList<AuditEntry>>(() =>
        {
            using var command = Command(
                $"""
                SELECT {AuditColumns} FROM audit_log
                WHERE ($since IS NULL OR at >= $since) AND ($actor IS NULL OR actor = $actor) AND ($action IS NULL OR action = $action)
                  AND ($before IS NULL OR id > $before)
                ORDER BY id LIMIT $limit
                """,
                null, ("$since", query.Since is { } since ? Ms(since) : null), ("$actor", query.Actor), ("$action", query.Action), ("$before", query.Before),
                ("$limit", query.Limit));
            using var reader = command.ExecuteReader();
            var entries = new List<AuditEntry>();
            while (reader.Read())
            {
                entries.Add(ReadAudit(reader));
            }

            return entries;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<int> PurgeAuditAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken) => WriteAsync(transaction =>
    {
        using var delete = Command(
            "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < $cutoff ORDER BY at LIMIT $max)", transaction, ("$cutoff", Ms(cutoff)), ("$max", max));
        return delete.ExecuteNonQuery();
    }, cancellationToken);

    private static AuditEntry ReadAudit(SqliteDataReader reader)
    {
        JsonElement? parameters = null;
        if (!reader.IsDBNull(6))
        {
            using var document = JsonDocument.Parse(reader.GetString(6));
            parameters = document.RootElement.Clone();
        }

        return new AuditEntry(
            reader.GetString(0), FromMs(reader.GetValue(1))!.Value, reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
            parameters, reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8));
    }
}
