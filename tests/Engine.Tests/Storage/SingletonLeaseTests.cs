using Azure.Storage.Blobs;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>Singleton duties held as blob leases, against a real Azurite.</summary>
public sealed class SingletonLeaseTests : IAsyncLifetime
{
    private readonly BlobContainerClient _container = new(Services.Azurite, "leases" + Guid.NewGuid().ToString("N")[..12]);

    public async Task InitializeAsync() => await _container.CreateAsync();

    public async Task DisposeAsync() => await _container.DeleteIfExistsAsync();

    [Fact]
    public async Task One_holder_at_a_time_renews_its_lease_and_hands_it_over_when_it_lets_go()
    {
        var first = new SingletonLease(_container, "sweeper", TimeSpan.FromSeconds(15));
        var second = new SingletonLease(_container, "sweeper", TimeSpan.FromSeconds(15));

        Assert.True(await first.TryHoldAsync(CancellationToken.None));
        Assert.False(await second.TryHoldAsync(CancellationToken.None));
        Assert.True(await first.TryHoldAsync(CancellationToken.None));

        await first.ReleaseAsync(CancellationToken.None);

        Assert.True(await second.TryHoldAsync(CancellationToken.None));
        Assert.False(await first.TryHoldAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Different_duties_are_held_independently()
    {
        var sweeper = new SingletonLease(_container, "sweeper", TimeSpan.FromSeconds(15));
        var scheduler = new SingletonLease(_container, "scheduler", TimeSpan.FromSeconds(15));

        Assert.True(await sweeper.TryHoldAsync(CancellationToken.None));
        Assert.True(await scheduler.TryHoldAsync(CancellationToken.None));
    }

    [Fact]
    public void A_duration_blob_storage_does_not_allow_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SingletonLease(_container, "sweeper", TimeSpan.FromSeconds(5)));
    }
}
