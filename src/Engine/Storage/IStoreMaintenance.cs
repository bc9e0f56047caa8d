namespace Duraflow.Engine.Storage;

/// <summary>
/// A store that needs background duties from the processes that share it, such as re-sending work that a dead
/// process committed but never sent. Worker hosts run <see cref="RunMaintenanceAsync"/> beside their loops; the store
/// itself makes sure that singleton duties run in one process at a time.
/// </summary>
internal interface IStoreMaintenance
{
    /// <summary>Does the store's background duties until <paramref name="stopping"/> fires.</summary>
    Task RunMaintenanceAsync(CancellationToken stopping);
}
