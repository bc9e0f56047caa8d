using System.Text;
using Azure.Storage.Blobs;
using Duraflow.Blocks;
using Duraflow.Engine.Storage.Azure;
using Duraflow.Tests;

namespace Duraflow.Engine.Tests.Storage;

/// <summary>The blob artifact store against a real Azurite; every test has a container of its own.</summary>
public sealed class BlobArtifactStoreTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private readonly BlobContainerClient _container;
    private readonly BlobArtifactStore _store;

    public BlobArtifactStoreTests()
    {
        var service = AzureStorageAccount.FromConnectionString(Services.Azurite).CreateBlobServiceClient();
        _container = service.GetBlobContainerClient($"artifacts-{Guid.NewGuid():N}");
        _store = new BlobArtifactStore(_container, _folder.PathOf("scratch"));
    }

    private CancellationToken Token => _timeout.Token;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _container.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);

    public void Dispose()
    {
        _timeout.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Bytes_written_read_back_the_same_and_the_container_is_created_on_the_first_write()
    {
        Assert.False((await _container.ExistsAsync(Token)).Value);
        Assert.False(await _store.ExistsAsync("runs/r/a/attempt-1.json", Token));

        var content = Encoding.UTF8.GetBytes("{\"total\": 42}");
        await _store.WriteAsync("runs/r/a/attempt-1.json", content, Token);

        Assert.True((await _container.ExistsAsync(Token)).Value);
        Assert.True(await _store.ExistsAsync("runs/r/a/attempt-1.json", Token));
        Assert.Equal(content, await _store.ReadAsync("runs/r/a/attempt-1.json", Token));
        Assert.False(await _store.ExistsAsync("runs/r/a/attempt-2.json", Token));
    }

    [Fact]
    public async Task Writing_a_key_again_replaces_its_content()
    {
        await _store.WriteAsync("runs/r/a/attempt-1.json", "[1]"u8.ToArray(), Token);
        await _store.WriteAsync("runs/r/a/attempt-1.json", "[2]"u8.ToArray(), Token);

        Assert.Equal("[2]"u8.ToArray(), await _store.ReadAsync("runs/r/a/attempt-1.json", Token));
    }

    [Fact]
    public async Task Reading_a_missing_key_throws_FileNotFoundException_naming_it_with_or_without_the_container()
    {
        var noContainer = await Assert.ThrowsAsync<FileNotFoundException>(() => _store.ReadAsync("runs/r/a/attempt-1.json", Token));
        Assert.Contains("runs/r/a/attempt-1.json", noContainer.Message, StringComparison.Ordinal);

        await _store.WriteAsync("runs/r/a/attempt-1.json", "1"u8.ToArray(), Token);
        var noBlob = await Assert.ThrowsAsync<FileNotFoundException>(() => _store.ReadAsync("runs/r/b/attempt-1.json", Token));
        Assert.Contains("runs/r/b/attempt-1.json", noBlob.Message, StringComparison.Ordinal);
        Assert.Equal("runs/r/b/attempt-1.json", noBlob.FileName);

        var noLocal = await Assert.ThrowsAsync<FileNotFoundException>(() => _store.GetLocalPathAsync("runs/r/b/attempt-1.parquet", Token));
        Assert.Contains("runs/r/b/attempt-1.parquet", noLocal.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_store.CacheDirectory, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task WriteFileAsync_uploads_the_file_and_takes_it_over()
    {
        var local = _folder.Write("scratch/attempt/out.bin", "file content");

        await _store.WriteFileAsync("runs/r/a/attempt-1.parquet", local, Token);

        Assert.False(File.Exists(local));
        Assert.Equal("file content"u8.ToArray(), await _store.ReadAsync("runs/r/a/attempt-1.parquet", Token));
    }

    [Fact]
    public async Task GetLocalPathAsync_downloads_once_into_the_cache_and_reuses_the_copy()
    {
        var content = Encoding.UTF8.GetBytes(new string('x', 100_000));
        await _store.WriteAsync("runs/r/a/attempt-1.parquet", content, Token);

        var path = await _store.GetLocalPathAsync("runs/r/a/attempt-1.parquet", Token);
        Assert.StartsWith(Path.Combine(_store.ScratchDirectory, "cache") + Path.DirectorySeparatorChar, path, StringComparison.Ordinal);
        Assert.Equal(content, await File.ReadAllBytesAsync(path, Token));

        // Deleted server-side: only a second download could notice, and there is none.
        await _container.DeleteBlobAsync("runs/r/a/attempt-1.parquet", cancellationToken: Token);
        Assert.Equal(path, await _store.GetLocalPathAsync("runs/r/a/attempt-1.parquet", Token));
        Assert.Equal(content, await File.ReadAllBytesAsync(path, Token));
        Assert.Equal([path], Directory.GetFiles(_store.CacheDirectory, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Concurrent_readers_of_one_key_all_get_the_whole_file()
    {
        var content = Encoding.UTF8.GetBytes(new string('y', 1_000_000));
        await _store.WriteAsync("runs/r/a/attempt-1.parquet", content, Token);

        var paths = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _store.GetLocalPathAsync("runs/r/a/attempt-1.parquet", Token)));

        Assert.Single(paths.Distinct());
        Assert.Equal(content, await File.ReadAllBytesAsync(paths[0], Token));
        Assert.Equal([paths[0]], Directory.GetFiles(_store.CacheDirectory, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Writing_through_the_store_drops_a_stale_cached_copy()
    {
        await _store.WriteAsync("runs/r/a/attempt-1.json", "old"u8.ToArray(), Token);
        var path = await _store.GetLocalPathAsync("runs/r/a/attempt-1.json", Token);

        await _store.WriteAsync("runs/r/a/attempt-1.json", "new"u8.ToArray(), Token);

        Assert.Equal(path, await _store.GetLocalPathAsync("runs/r/a/attempt-1.json", Token));
        Assert.Equal("new"u8.ToArray(), await File.ReadAllBytesAsync(path, Token));
    }

    [Fact]
    public async Task A_parquet_table_stored_as_a_file_reads_back_as_a_table_from_its_local_copy()
    {
        var orders = Enumerable.Range(1, 250).Select(i => new Order(i, $"customer {i % 7}", i * 1.5m)).ToList();
        var value = BlockValue.FromResult(orders, "orders", Path.Combine(_store.ScratchDirectory, "attempt"), asJson: false, Token);
        var file = Assert.Single(value.Table!.Files);

        await _store.WriteFileAsync("runs/r/orders/attempt-1.parquet", file, Token);
        Assert.False(File.Exists(file));

        var table = new Table(await _store.GetLocalPathAsync("runs/r/orders/attempt-1.parquet", Token));
        Assert.Equal(250, table.CountRows());
        Assert.Equal(orders, table.Rows<Order>(Token).ToList());
    }

    [Theory]
    [InlineData("../outside.json")]
    [InlineData("runs/../../outside.json")]
    [InlineData("runs/r/..")]
    [InlineData("runs/./r/attempt-1.json")]
    [InlineData("/runs/r/attempt-1.json")]
    [InlineData("runs//r/attempt-1.json")]
    [InlineData("runs\\r\\attempt-1.json")]
    [InlineData("")]
    public async Task Keys_that_are_not_plain_relative_paths_are_refused(string key)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _store.WriteAsync(key, "1"u8.ToArray(), Token));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _store.ReadAsync(key, Token));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _store.ExistsAsync(key, Token));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _store.GetLocalPathAsync(key, Token));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _store.WriteFileAsync(key, _folder.Write("f", "1"), Token));
        Assert.False((await _container.ExistsAsync(Token)).Value);
    }

    public sealed record Order(int Id, string Customer, decimal Amount);
}
