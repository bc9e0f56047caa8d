using Azure;
using Azure.Identity;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Azure;

namespace Duraflow.Engine.Hosting;

/// <summary>Opening the Azure store from duraflow.yaml's <c>store.connection</c> and <c>store.prefix</c>.</summary>
internal sealed partial class LocalEngine
{
    private static async Task<AzureStore> OpenAzureStoreAsync(ProjectSettings settings, TimeProvider? time, CancellationToken cancellationToken)
    {
        AzureStorageAccount account;
        try
        {
            account = AzureStorageAccount.FromEnvironment(settings.StoreConnection);
        }
        catch (InvalidOperationException e)
        {
            // The account's message names the setting and the ways to set it; say which store wanted it and where the
            // setting's name comes from, since a project may name another one.
            var origin = settings.StoreConnection == ProjectSettings.Default.StoreConnection
                ? $"store 'connection' in {DuraflowProject.SettingsFileName} can name another"
                : $"as store 'connection' in {DuraflowProject.SettingsFileName} says";
            throw new StoreSettingsException(
                $"the azure store reads its storage account from the environment variable {settings.StoreConnection} ({origin}): {e.Message}", e);
        }

        try
        {
            return await AzureStore.OpenAsync(account, new AzureStoreOptions { Prefix = settings.StorePrefix }, time, cancellationToken).ConfigureAwait(false);
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
                $"could not open the azure store '{settings.StorePrefix}' in {account}: {cause.Message.Split('\n')[0].Trim()}; check that "
                + $"{settings.StoreConnection} names a reachable account (is Azurite running, for UseDevelopmentStorage=true?)", e);
        }
    }
}
