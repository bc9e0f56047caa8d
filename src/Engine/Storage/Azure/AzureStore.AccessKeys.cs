using Azure.Data.Tables;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// API keys in the index table's <c>apikeys</c> partition: <c>id|ID</c> rows hold the keys, and a <c>name|NAME</c> row
/// per key not revoked names its id. Both are written in one transaction, so a name taken fails the add whole.
/// </summary>
internal sealed partial class AzureStore : IAccessKeys
{
    private const string KeyRowPrefix = "id|";
    private const string NameRowPrefix = "name|";

    /// <inheritdoc/>
    public async Task<bool> AddKeyAsync(AccessKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var row = new TableEntity(RunIndex.AccessKeys, KeyRowPrefix + TableKeys.Escape(key.Id))
        {
            ["Id"] = key.Id,
            ["Name"] = key.Name,
            ["Role"] = key.Role,
            ["Pipelines"] = key.Pipelines,
            ["Salt"] = key.Salt,
            ["Hash"] = key.Hash,
            ["CreatedAt"] = key.CreatedAt,
            ["CreatedBy"] = key.CreatedBy,
            ["ExpiresAt"] = key.ExpiresAt,
            ["SessionHash"] = key.SessionHash,
            ["Workspace"] = key.Workspace,
        };
        var name = new TableEntity(RunIndex.AccessKeys, NameRowPrefix + TableKeys.Escape(key.Name)) { ["Id"] = key.Id };
        try
        {
            await _index.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, row), new TableTransactionAction(TableTransactionActionType.Add, name)],
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task<AccessKey?> GetKeyAsync(string id, CancellationToken cancellationToken)
    {
        var row = await _index.GetEntityIfExistsAsync<TableEntity>(RunIndex.AccessKeys, KeyRowPrefix + TableKeys.Escape(id), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return row.HasValue ? ReadKey(row.Value!) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AccessKey>> ListKeysAsync(CancellationToken cancellationToken)
    {
        var keys = new List<AccessKey>();
        await foreach (var row in _index.QueryAsync<TableEntity>(TableKeys.PrefixFilter(RunIndex.AccessKeys, KeyRowPrefix), cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            keys.Add(ReadKey(row));
        }

        return [.. keys.OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal)];
    }

    /// <inheritdoc/>
    public async Task<AccessKey?> RevokeKeyAsync(string name, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var nameRow = await _index.GetEntityIfExistsAsync<TableEntity>(RunIndex.AccessKeys, NameRowPrefix + TableKeys.Escape(name), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (!nameRow.HasValue)
        {
            return null;
        }

        var id = nameRow.Value!.GetString("Id");
        var keyRow = await _index.GetEntityIfExistsAsync<TableEntity>(RunIndex.AccessKeys, KeyRowPrefix + TableKeys.Escape(id), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (!keyRow.HasValue)
        {
            return null;
        }

        // The name is freed and the key marked in one transaction, each under the ETag read: of two revokes racing,
        // one revokes and the other finds nothing.
        var revoked = keyRow.Value!;
        revoked["RevokedAt"] = at;
        try
        {
            await _index.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Delete, nameRow.Value, nameRow.Value.ETag),
                    new TableTransactionAction(TableTransactionActionType.UpdateMerge, revoked, revoked.ETag),
                ],
                cancellationToken).ConfigureAwait(false);
            return ReadKey(revoked);
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
        {
            return await RevokeKeyAsync(name, at, cancellationToken).ConfigureAwait(false);
        }
    }

    private static AccessKey ReadKey(TableEntity row) => new(
        row.GetString("Id"), row.GetString("Name"), row.GetString("Role"), row.GetString("Pipelines"), row.GetBinary("Salt"), row.GetBinary("Hash"),
        row.GetDateTimeOffset("CreatedAt")!.Value, row.GetString("CreatedBy"), row.GetDateTimeOffset("ExpiresAt"), row.GetDateTimeOffset("RevokedAt"),
        row.GetBinary("SessionHash"), row.GetString("Workspace"));
}
