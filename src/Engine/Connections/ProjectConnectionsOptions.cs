using Duraflow.Engine.Secrets;

namespace Duraflow.Engine.Connections;

/// <summary>How <see cref="ProjectConnections.Open(Projects.DuraflowProject, ProjectConnectionsOptions)"/> resolves connections and secrets.</summary>
internal sealed record ProjectConnectionsOptions
{
    /// <summary>The io_config.yaml profile; null means <c>DURAFLOW_PROFILE</c>, else <c>default</c>.</summary>
    public string? Profile { get; init; }

    /// <summary>The clock of the secret cache; null means the system clock.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>How to reach the Key Vault that duraflow.yaml names; null means the defaults of <see cref="KeyVaultAccess"/>.</summary>
    public KeyVaultAccess? KeyVault { get; init; }

    /// <summary>
    /// Remembers the secret values read, for redaction; null means a new one. <see cref="ReloadingConnections"/> passes
    /// one to every version it opens, so a value read before an edit stays masked after it.
    /// </summary>
    public SecretRedactor? Redactor { get; init; }

    /// <summary>Reads environment variables, for <c>{{ env.X }}</c> and <c>DURAFLOW_SECRET_X</c>; tests pass their own.</summary>
    internal Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
