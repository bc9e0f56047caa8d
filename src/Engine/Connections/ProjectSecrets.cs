using Duraflow.Engine.Projects;
using Duraflow.Engine.Secrets;

namespace Duraflow.Engine.Connections;

/// <summary>Where a project's secrets are looked up, in order: secrets.local.yaml, the environment, then Key Vault when duraflow.yaml names one.</summary>
internal static class ProjectSecrets
{
    /// <summary>The project's secrets, each value kept for <c>secrets.cache_ttl</c> and remembered by <paramref name="redactor"/>.</summary>
    public static CachedSecrets Open(
        DuraflowProject project, Func<string, string?> environment, KeyVaultAccess? keyVault, TimeProvider? time, SecretRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(project);
        var providers = new List<ISecretProvider> { new LocalFileSecrets(project.Root), new EnvironmentSecrets(environment) };
        if (project.Settings.Secrets.KeyVault is { } vault)
        {
            providers.Add(KeyVaultSecrets.Open(vault, keyVault));
        }

        return new CachedSecrets(providers, project.Settings.Secrets.CacheTtl, time ?? TimeProvider.System, redactor);
    }
}
