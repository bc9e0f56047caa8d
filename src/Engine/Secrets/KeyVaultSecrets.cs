using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Duraflow.Blocks;

namespace Duraflow.Engine.Secrets;

/// <summary>
/// Secrets in Azure Key Vault, read with <see cref="SecretClient"/>. Key Vault names allow only letters, digits and
/// dashes, so secret <c>warehouse_connection</c> is read as <c>warehouse-connection</c>.
/// </summary>
/// <remarks>
/// A secret Key Vault does not have (404) is "not found". Refused access (401, 403) and a missing Azure credential fail
/// the block without retries, because waiting does not fix them. Anything else (no network, throttling, a server error,
/// a timeout) is a <see cref="SecretUnavailableException"/>, which is retried; the SDK has already retried a few times.
/// </remarks>
internal sealed class KeyVaultSecrets(SecretClient client) : ISecretProvider
{
    /// <summary>The secrets of the vault at <paramref name="vault"/>, reached as <paramref name="access"/> says (null: the defaults).</summary>
    public static KeyVaultSecrets Open(Uri vault, KeyVaultAccess? access) =>
        new(new SecretClient(vault, access?.Credential ?? new DefaultAzureCredential(), access?.ClientOptions ?? new SecretClientOptions()));

    public string Where(string name) => SecretNames.KeyVaultName(name) is { } vaultName
        ? $"Key Vault {client.VaultUri} (secret '{vaultName}')"
        : $"Key Vault {client.VaultUri} (not asked: '{name}' cannot be a Key Vault name, which allows only letters, digits, '-' and '_')";

    public async Task<string?> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (SecretNames.KeyVaultName(name) is not { } vaultName)
        {
            return null;
        }

        try
        {
            var response = await client.GetSecretAsync(vaultName, cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.Value.Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException e) when (e.Status is 401 or 403)
        {
            throw new NonRetryableBlockException(
                $"Key Vault {client.VaultUri} refused to give secret '{vaultName}' ({Status(e)}); give this identity the 'Key Vault Secrets User' role on the vault (or a 'get' access policy)", e);
        }
        catch (RequestFailedException e)
        {
            var what = e.Status switch
            {
                0 => "could not be reached",
                429 => "is throttling requests (429)",
                _ => $"failed ({Status(e)})",
            };
            throw new SecretUnavailableException($"Key Vault {client.VaultUri} {what} while reading secret '{vaultName}': {FirstLine(e.Message)}", e);
        }
        catch (CredentialUnavailableException e)
        {
            throw new NonRetryableBlockException(
                $"no Azure credential to read secret '{vaultName}' from Key Vault {client.VaultUri}: sign in with 'az login' on a developer machine, or give the app a managed identity in Azure ({FirstLine(e.Message)})", e);
        }
        catch (AuthenticationFailedException e)
        {
            // The token service may be down or throttling; a bad credential setting shows up as CredentialUnavailable.
            throw new SecretUnavailableException($"could not get an Azure token to read secret '{vaultName}' from Key Vault {client.VaultUri}: {FirstLine(e.Message)}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SecretUnavailableException($"Key Vault {client.VaultUri} did not answer in time while reading secret '{vaultName}'", e);
        }
    }

    private static string Status(RequestFailedException e) => e.ErrorCode is { Length: > 0 } code ? $"{e.Status} {code}" : $"{e.Status}";

    // SDK messages append the whole response (headers and body) after the first line.
    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
