namespace Duraflow.Engine.Secrets;

/// <summary>Secrets in environment variables: secret <c>warehouse_connection</c> is <c>DURAFLOW_SECRET_WAREHOUSE_CONNECTION</c>.</summary>
/// <param name="lookup">Reads an environment variable; tests pass their own.</param>
internal sealed class EnvironmentSecrets(Func<string, string?> lookup) : ISecretProvider
{
    public string Where(string name) => $"environment variable {SecretNames.EnvironmentVariable(name)}";

    // An empty variable counts as unset: a secret is never empty, and an empty value is usually an unfilled template.
    public Task<string?> FindAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(lookup(SecretNames.EnvironmentVariable(name)) is { Length: > 0 } value ? value : null);
}
