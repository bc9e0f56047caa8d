using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>The Azure store against a real Azurite: the conformance suite, each test in tables and queues of its own.</summary>
public sealed class AzureStoreTests : StoreConformanceTests
{
    private AzureStore? _store;

    internal static AzureStore OpenFresh(AzureStoreOptions? options = null) =>
        AzureStore.OpenAsync(
            AzureStorageAccount.FromConnectionString(Services.Azurite),
            (options ?? new AzureStoreOptions()) with { Prefix = "t" + Guid.NewGuid().ToString("N")[..12] }).GetAwaiter().GetResult();

    protected override (IRunStore Store, IWorkQueues Queues) Open()
    {
        _store = OpenFresh();
        return (_store, _store);
    }

    protected override void Cleanup() => _store?.DeleteEverythingAsync(CancellationToken.None).GetAwaiter().GetResult();
}
