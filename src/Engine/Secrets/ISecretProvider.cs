namespace Duraflow.Engine.Secrets;

/// <summary>One place secrets are looked up in: the local file, the environment or Key Vault.</summary>
internal interface ISecretProvider
{
    /// <summary>Where this provider looks for secret <paramref name="name"/>, as a "not found" message lists it.</summary>
    string Where(string name);

    /// <summary>The value of secret <paramref name="name"/>, or null when this provider does not have it.</summary>
    /// <exception cref="Blocks.NonRetryableBlockException">The provider is misconfigured; trying again cannot help.</exception>
    /// <exception cref="SecretUnavailableException">The provider cannot answer now (unreachable, throttled).</exception>
    Task<string?> FindAsync(string name, CancellationToken cancellationToken);
}
