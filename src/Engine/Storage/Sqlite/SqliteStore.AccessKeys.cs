using Microsoft.Data.Sqlite;

namespace Duraflow.Engine.Storage.Sqlite;

/// <summary>API keys in the <c>access_keys</c> table.</summary>
internal sealed partial class SqliteStore : IAccessKeys
{
    private const string KeyColumns = "id, name, role, pipelines, salt, hash, created_at, created_by, expires_at, revoked_at, session, workspace";

    /// <inheritdoc/>
    public Task<bool> AddKeyAsync(AccessKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync(transaction =>
        {
            // The partial unique index on live names makes a second key of one name a no-op, not a second row.
            using var insert = Command(
                $"INSERT INTO access_keys ({KeyColumns}) VALUES ($id, $n, $r, $p, $s, $h, $c, $by, $e, NULL, $session, $w) ON CONFLICT DO NOTHING",
                transaction, ("$id", key.Id), ("$n", key.Name), ("$r", key.Role), ("$p", key.Pipelines), ("$s", key.Salt), ("$h", key.Hash),
                ("$c", Ms(key.CreatedAt)), ("$by", key.CreatedBy), ("$e", key.ExpiresAt is { } e ? Ms(e) : null), ("$session", key.SessionHash), ("$w", key.Workspace));
            return insert.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<AccessKey?> GetKeyAsync(string id, CancellationToken cancellationToken) => LockedAsync(() =>
    {
        using var command = Command($"SELECT {KeyColumns} FROM access_keys WHERE id = $id", null, ("$id", id));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadKey(reader) : null;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<AccessKey>> ListKeysAsync(CancellationToken cancellationToken) => LockedAsync<IReadOnlyList<AccessKey>>(() =>
    {
        using var command = Command($"SELECT {KeyColumns} FROM access_keys ORDER BY created_at DESC, id");
        using var reader = command.ExecuteReader();
        var keys = new List<AccessKey>();
        while (reader.Read())
        {
            keys.Add(ReadKey(reader));
        }

        return keys;
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<AccessKey?> RevokeKeyAsync(string name, DateTimeOffset at, CancellationToken cancellationToken) => WriteAsync(transaction =>
    {
        using var update = Command(
            $"UPDATE access_keys SET revoked_at = $at WHERE name = $n AND revoked_at IS NULL RETURNING {KeyColumns}", transaction, ("$n", name), ("$at", Ms(at)));
        using var reader = update.ExecuteReader();
        return reader.Read() ? ReadKey(reader) : null;
    }, cancellationToken);

    private static AccessKey ReadKey(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
        (byte[])reader.GetValue(4), (byte[])reader.GetValue(5), FromMs(reader.GetValue(6))!.Value, reader.GetString(7),
        FromMs(reader.GetValue(8)), FromMs(reader.GetValue(9)), (byte[])reader.GetValue(10),
        reader.IsDBNull(11) ? null : reader.GetString(11));
}
