using Azure.Core;
using Azure.Security.KeyVault.Secrets;

namespace Duraflow.Engine.Secrets;

/// <summary>How the Key Vault client signs in and talks to the vault; the defaults suit Azure and a developer machine.</summary>
/// <param name="Credential">The credential; null means <see cref="Azure.Identity.DefaultAzureCredential"/> (managed identity in Azure, <c>az login</c> and similar locally).</param>
/// <param name="ClientOptions">Options of the Key Vault client (retries, transport); null means the SDK's defaults.</param>
internal sealed record KeyVaultAccess(TokenCredential? Credential = null, SecretClientOptions? ClientOptions = null);
