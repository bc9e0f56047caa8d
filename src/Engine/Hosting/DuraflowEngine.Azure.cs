using Duraflow.Engine.Projects;
using Duraflow.Engine.Storage.Azure;

namespace Duraflow.Engine.Hosting;

/// <summary>Opening the Azure store from duraflow.yaml's <c>store.connection</c> and <c>store.prefix</c>.</summary>
internal sealed partial class DuraflowEngine
{
    private static Task<AzureStore> OpenAzureStoreAsync(ProjectSettings settings, TimeProvider? time, CancellationToken cancellationToken)
    {
        var origin = settings.StoreConnection == ProjectSettings.Default.StoreConnection
            ? $"store 'connection' in {DuraflowProject.SettingsFileName} can name another"
            : $"as store 'connection' in {DuraflowProject.SettingsFileName} says";
        return AzureStoreOpener.OpenAsync(settings.StoreConnection, new AzureStoreOptions { Prefix = settings.StorePrefix }, origin, time, cancellationToken);
    }
}
