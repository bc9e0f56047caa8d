using Azure.Data.Tables;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>Named limits' ledgers in the index table's <c>limits</c> partition, replaced only under their ETag.</summary>
internal sealed partial class AzureStore : ILimitLedgers
{
    /// <inheritdoc/>
    public async Task<(string Ledger, string Version)?> GetLimitLedgerAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var entity = await AzureFailures.Translate(
            () => _index.GetEntityIfExistsAsync<TableEntity>(RunIndex.Limits, TableKeys.Escape(name), cancellationToken: cancellationToken), $"reading limit '{name}'").ConfigureAwait(false);
        return entity.HasValue ? (entity.Value!.GetString("Ledger") ?? "{}", entity.Value.ETag.ToString()) : null;
    }

    /// <inheritdoc/>
    public async Task<bool> TrySetLimitLedgerAsync(string name, string ledger, string? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(ledger);
        var entity = new TableEntity(RunIndex.Limits, TableKeys.Escape(name)) { ["Name"] = name, ["Ledger"] = ledger };
        return await AzureFailures.Translate(() => TryWriteIndexEntityAsync(entity, expectedVersion, cancellationToken), $"writing limit '{name}'").ConfigureAwait(false);
    }
}
