namespace Duraflow.Engine.Projects;

/// <summary>The <c>secrets:</c> section of duraflow.yaml: where secrets come from besides the local file and environment.</summary>
internal sealed record SecretSettings
{
    /// <summary>Settings of a project that configures no secrets: no Key Vault, values kept for five minutes.</summary>
    public static SecretSettings Default { get; } = new();

    /// <summary>The Key Vault to read secrets from (<c>key_vault</c>, an https URL); null for none.</summary>
    public Uri? KeyVault { get; init; }

    /// <summary>How long a secret value is reused before it is read again (<c>cache_ttl</c>).</summary>
    public TimeSpan CacheTtl { get; init; } = TimeSpan.FromMinutes(5);
}
