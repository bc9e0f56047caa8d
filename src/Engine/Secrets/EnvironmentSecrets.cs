namespace Duraflow.Engine.Secrets;

/// <summary>Secrets in environment variables: secret <c>warehouse_connection</c> is <c>DURAFLOW_SECRET_WAREHOUSE_CONNECTION</c>.</summary>
/// <param name="lookup">Reads an environment variable; tests pass their own.</param>
internal sealed class EnvironmentSecrets(Func<string, string?> lookup) : ISecretProvider
{
    // App Service and Functions replace an app setting of this form with the vault's secret; when they cannot (no
    // access, wrong identity, no such secret), the app sees the reference text itself.
    private const string KeyVaultReferencePrefix = "@Microsoft.KeyVault(";

    public string Where(string name) => $"environment variable {SecretNames.EnvironmentVariable(name)}";

    // An empty variable counts as unset: a secret is never empty, and an empty value is usually an unfilled template.
    public Task<string?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var variable = SecretNames.EnvironmentVariable(name);
        var value = lookup(variable);
        if (value is not null && value.StartsWith(KeyVaultReferencePrefix, StringComparison.OrdinalIgnoreCase))
        {
            // The reference is not the secret, so passing it on would only fail later as a wrong password. The
            // message leaves the value out: it names the vault, and nothing from a setting belongs in run logs.
            throw new SecretUnavailableException(
                $"environment variable {variable} holds a Key Vault reference that the platform did not resolve: grant the app's identity "
                + "the 'Key Vault Secrets User' role on the vault, set the site's keyVaultReferenceIdentity to the user-assigned identity "
                + "that has it, and check the secret name in the reference");
        }

        return Task.FromResult(value is { Length: > 0 } ? value : null);
    }
}
