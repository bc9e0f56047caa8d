using System.Text;

namespace Duraflow.Engine.Secrets;

/// <summary>How a secret name maps to each provider's naming rules.</summary>
internal static class SecretNames
{
    /// <summary>The Key Vault secret that holds the deployed app's API key (infra/ and scripts/api-key.sh).</summary>
    public const string AppApiKeyVaultName = "duraflow-api-key";

    /// <summary>True when <paramref name="name"/> maps to the app's API key in Key Vault (or its environment
    /// variable): a name no pipeline may read.</summary>
    public static bool IsAppApiKey(string name) =>
        string.Equals(KeyVaultName(name), AppApiKeyVaultName, StringComparison.OrdinalIgnoreCase)
        || string.Equals(EnvironmentVariable(name), EnvironmentVariable(AppApiKeyVaultName), StringComparison.Ordinal);

    /// <summary>The prefix of environment variables that hold secrets.</summary>
    public const string EnvironmentPrefix = "DURAFLOW_SECRET_";

    /// <summary>
    /// The environment variable of secret <paramref name="name"/>: the prefix and the name in upper case, with
    /// anything but letters and digits as <c>_</c> (<c>warehouse_connection</c> is <c>DURAFLOW_SECRET_WAREHOUSE_CONNECTION</c>).
    /// </summary>
    public static string EnvironmentVariable(string name)
    {
        var variable = new StringBuilder(EnvironmentPrefix, EnvironmentPrefix.Length + name.Length);
        foreach (var c in name)
        {
            variable.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        return variable.ToString();
    }

    /// <summary>
    /// The Key Vault name of secret <paramref name="name"/>: Key Vault allows only letters, digits and dashes (1 to 127),
    /// so <c>_</c> becomes <c>-</c>. Null when the name cannot be a Key Vault name even then.
    /// </summary>
    public static string? KeyVaultName(string name)
    {
        var mapped = name.Replace('_', '-');
        return mapped.Length is > 0 and <= 127 && mapped.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? mapped : null;
    }
}
