namespace Duraflow.Engine.Storage;

/// <summary>
/// Where each named limit's ledger (who holds it until when, and when it was last taken) is kept, as one small JSON
/// document per limit, replaced only under its version: every run and worker of the project takes and releases the
/// limit through it, so the bound holds across processes.
/// </summary>
internal interface ILimitLedgers
{
    /// <summary>The ledger of limit <paramref name="name"/> and its version, or null when nobody has taken it yet.</summary>
    Task<(string Ledger, string Version)?> GetLimitLedgerAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the ledger if the stored one still has <paramref name="expectedVersion"/> (null: if there is none yet).
    /// False, and nothing written, when another process changed it first.
    /// </summary>
    Task<bool> TrySetLimitLedgerAsync(string name, string ledger, string? expectedVersion, CancellationToken cancellationToken);
}
