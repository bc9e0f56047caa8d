namespace Duraflow.Blocks;

/// <summary>Gives blocks secret values (Key Vault, environment, local file), and remembers them for redaction.</summary>
public interface ISecrets
{
    /// <summary>The value of secret <paramref name="name"/>.</summary>
    /// <exception cref="NonRetryableBlockException">No provider has the secret.</exception>
    Task<string> GetAsync(string name, CancellationToken cancellationToken);
}
