using Azure;
using Azure.Identity;

namespace Duraflow.Engine.Storage.Azure;

/// <summary>
/// Opens the Azure store that a project's settings name, and says in store terms why it could not: the Azure SDK's
/// exceptions stop here, so the layers above handle <see cref="StoreSettingsException"/> and
/// <see cref="StoreUnavailableException"/> whatever store they run on.
/// </summary>
internal static class AzureStoreOpener
{
    /// <summary>Opens the store <paramref name="options"/> names in the account of environment setting <paramref name="connectionSetting"/>.</summary>
    /// <param name="connectionSetting">The environment variable (and its <c>__*</c> variants) that describes the account.</param>
    /// <param name="options">The store's prefix and names.</param>
    /// <param name="settingOrigin">Where the setting's name comes from, for the message when it is missing or wrong.</param>
    /// <param name="time">The clock.</param>
    /// <param name="cancellationToken">Stops opening.</param>
    /// <exception cref="StoreSettingsException">The account setting is missing or wrong.</exception>
    /// <exception cref="StoreUnavailableException">The account cannot be reached or refuses the credential.</exception>
    public static async Task<AzureStore> OpenAsync(
        string connectionSetting, AzureStoreOptions options, string settingOrigin, TimeProvider? time, CancellationToken cancellationToken)
    {
        AzureStorageAccount account;
        try
        {
            account = AzureStorageAccount.FromEnvironment(connectionSetting);
        }
        catch (InvalidOperationException e)
        {
            // The account's message names the setting and the ways to set it; say which store wanted it and where the
            // setting's name comes from, since a project may name another one.
            throw new StoreSettingsException(
                $"the azure store reads its storage account from the environment variable {connectionSetting} ({settingOrigin}): {e.Message}", e);
        }

        try
        {
            return await AzureStore.OpenAsync(account, options, time, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e) when (e.InnerException is RequestFailedException)
        {
            // AzureStore's own message already names the account and the roles the identity needs.
            throw new StoreUnavailableException(e.Message, e);
        }
        catch (Exception e) when (e is RequestFailedException or AuthenticationFailedException or AggregateException)
        {
            // The SDK gives up on an unreachable account with an AggregateException of its retries' failures.
            var cause = e is AggregateException aggregate ? aggregate.Flatten().InnerExceptions[^1] : e;
            throw new StoreUnavailableException(
                $"could not open the azure store '{options.Prefix}' in {account}: {cause.Message.Split('\n')[0].Trim()}; check that "
                + $"{connectionSetting} names a reachable account (is Azurite running, for UseDevelopmentStorage=true?)", e);
        }
    }
}
