namespace Duraflow.Blocks;

/// <summary>What a block sees when its host configured no connections or secrets: a clear error on first use.</summary>
internal sealed class NoConnections : IConnections, ISecrets
{
    /// <summary>The shared instance.</summary>
    public static NoConnections Instance { get; } = new();

    Task<Connection> IConnections.GetAsync(string name, CancellationToken cancellationToken) =>
        throw new NonRetryableBlockException($"connection '{name}' is not available: this run has no io_config.yaml connections");

    Task<string> ISecrets.GetAsync(string name, CancellationToken cancellationToken) =>
        throw new NonRetryableBlockException($"secret '{name}' is not available: this run has no secret providers");
}
