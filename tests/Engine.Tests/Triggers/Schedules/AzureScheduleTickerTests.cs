using Duraflow.Engine.Storage;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Triggers.Schedules;

/// <summary>The ticker suite on Azurite; each <see cref="Open"/> opens the same tables and queues anew, as another Function instance would.</summary>
public sealed class AzureScheduleTickerTests : ScheduleTickerTests
{
    private readonly AzureStoreOptions _options = new() { Prefix = "t" + Guid.NewGuid().ToString("N")[..12] };
    private AzureStore? _first;

    private protected override (IRunStore Store, IWorkQueues Queues, IScheduleMarks Marks) Open()
    {
        var store = AzureStore.OpenAsync(AzureStorageAccount.FromConnectionString(Services.Azurite), _options).GetAwaiter().GetResult();
        _first ??= store;
        return (store, store, store);
    }

    protected override void Cleanup() => _first?.DeleteEverythingAsync(CancellationToken.None).GetAwaiter().GetResult();
}
