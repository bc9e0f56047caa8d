using Azure.Core;
using Azure.Security.KeyVault.Secrets;

namespace Duraflow.Engine.Connections;

/// <summary>How <see cref="ProjectConnections.Open(Projects.DuraflowProject, ProjectConnectionsOptions)"/> resolves connections and secrets.</summary>
internal sealed record ProjectConnectionsOptions
{
    /// <summary>The io_config.yaml profile; null means <c>DURAFLOW_PROFILE</c>, else <c>default</c>.</summary>
    public string? Profile { get; init; }

    /// <summary>The clock of the secret cache; null means the system clock.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>
    /// The credential for Key Vault; null means <see cref="Azure.Identity.DefaultAzureCredential"/> (managed identity in
    /// Azure, <c>az login</c> and similar on a developer machine).
    /// </summary>
    public TokenCredential? KeyVaultCredential { get; init; }

    /// <summary>Options of the Key Vault client (retries, transport); null means the SDK's defaults.</summary>
    public SecretClientOptions? KeyVaultClientOptions { get; init; }

    /// <summary>Reads environment variables, for <c>{{ env.X }}</c> and <c>DURAFLOW_SECRET_X</c>; tests pass their own.</summary>
    internal Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
