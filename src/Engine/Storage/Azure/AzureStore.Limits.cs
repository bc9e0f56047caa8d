using Azure;
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
        return await AzureFailures.Translate(async () =>
        {
            try
            {
                if (expectedVersion is null)
                {
                    await _index.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _index.UpdateEntityAsync(entity, new ETag(expectedVersion), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return true;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
            {
                // 409: another process added the first ledger; 412: another replaced the one read; 404: it was deleted.
                return false;
            }
        }, $"writing limit '{name}'").ConfigureAwait(false);
    }
}
