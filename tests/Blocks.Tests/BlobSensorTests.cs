using System.Text.Json;
using Azure.Storage.Blobs;
using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Settings;
using Duraflow.Blocks.Text;
using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

/// <summary>
/// <c>sensor.blob</c> against a real Azurite and local files. Nothing here sleeps: a test waits for the sensor's
/// "not yet" log line, which it writes after a look that found nothing, before it creates what the sensor waits for.
/// </summary>
public sealed class BlobSensorTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly BlobContainerClient _container;
    private readonly TestConnections _connections;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private readonly TaskCompletionSource _lookedOnce = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CollectingLogger _logger;

    public BlobSensorTests()
    {
        _container = new BlobServiceClient(Services.Azurite).GetBlobContainerClient($"t{Guid.NewGuid():N}");
        _connections = new TestConnections(TestConnections.Blob("lake", Services.Azurite));
        _logger = new CollectingLogger(line =>
        {
            if (line.StartsWith("No ", StringComparison.Ordinal))
            {
                _lookedOnce.TrySetResult();
            }
        });
    }

    public async Task InitializeAsync() => await _container.CreateAsync(cancellationToken: _timeout.Token);

    public async Task DisposeAsync() => await _container.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);

    public void Dispose()
    {
        _timeout.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Sensor_finds_a_blob_created_after_it_started()
    {
        var sensor = RunAsync(new { connection = "lake", path = $"{_container.Name}/landing/orders.csv", poll = "50ms", timeout = "1m" });
        await _lookedOnce.Task.WaitAsync(_timeout.Token);
        Assert.False(sensor.IsCompleted);

        await _container.GetBlobClient("landing/orders.csv").UploadAsync(BinaryData.FromString("id\n1\n"), _timeout.Token);
        var output = (await sensor.WaitAsync(_timeout.Token)).Json;

        Assert.Equal($"{_container.Name}/landing/orders.csv", output.GetProperty("path").GetString());
        Assert.Equal("lake", output.GetProperty("connection").GetString());
        Assert.True(output.GetProperty("found_at").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        Assert.Equal($"Waiting for lake:{_container.Name}/landing/orders.csv: looking every 0.05 s, for at most 60 s", _logger.Entries[0].Message);
        Assert.Contains(_logger.Entries, e => e.Message.StartsWith($"Found lake:{_container.Name}/landing/orders.csv after ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sensor_with_a_wildcard_returns_the_blob_it_found()
    {
        await _container.GetBlobClient("landing/2026-03-04/part-1.csv").UploadAsync(BinaryData.FromString("id\n1\n"), _timeout.Token);
        await _container.GetBlobClient("landing/2026-03-04.done").UploadAsync(BinaryData.FromString(""), _timeout.Token);

        var output = (await RunAsync(new { connection = "lake", path = $"{_container.Name}/landing/*/part-?.csv", poll = "50ms" })).Json;

        Assert.Equal($"{_container.Name}/landing/2026-03-04/part-1.csv", output.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Sensor_times_out_without_retries_saying_how_long_it_waited_and_for_what()
    {
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(
            () => RunAsync(new { connection = "lake", path = $"{_container.Name}/never.csv", poll = "50ms", timeout = "200ms" }));

        Assert.Equal(
            $"block test_block (sensor.blob): waited 200ms for lake:{_container.Name}/never.csv, which did not appear; raise with.timeout, or check the path or query",
            error.Message);
    }

    [Fact]
    public async Task Sensor_on_a_missing_container_fails_at_once()
    {
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(
            () => RunAsync(new { connection = "lake", path = $"{_container.Name}-none/x.csv", poll = "50ms" }));

        Assert.Contains($"container '{_container.Name}-none' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sensor_finds_a_local_file_created_after_it_started()
    {
        var sensor = RunAsync(new { path = "landing/orders_{{ run.scheduled_time | date: 'yyyyMMdd' }}.csv", poll = "50ms" });
        await _lookedOnce.Task.WaitAsync(_timeout.Token);
        Assert.False(sensor.IsCompleted);

        _folder.Write("landing/orders_20260304.csv", "id\n1\n");
        var output = (await sensor.WaitAsync(_timeout.Token)).Json;

        Assert.Equal("landing/orders_20260304.csv", output.GetProperty("path").GetString());
        Assert.False(output.TryGetProperty("connection", out _));
    }

    [Fact]
    public async Task Sensor_with_a_local_wildcard_skips_files_still_being_written()
    {
        _folder.Write("landing/.orders.csv.0a1b.tmp", "id\n");
        var sensor = RunAsync(new { path = "landing/*.csv*", poll = "50ms" });
        await _lookedOnce.Task.WaitAsync(_timeout.Token);

        _folder.Write("landing/orders.csv", "id\n1\n");
        var output = (await sensor.WaitAsync(_timeout.Token)).Json;

        Assert.Equal("landing/orders.csv", output.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Sensor_stops_waiting_when_cancelled()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_timeout.Token);
        var sensor = RunAsync(new { path = "landing/never.csv", poll = "1h" }, cancel.Token);
        await _lookedOnce.Task.WaitAsync(_timeout.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sensor.WaitAsync(_timeout.Token));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("0s")]
    public async Task Sensor_durations_must_be_durations_above_zero(string poll)
    {
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => RunAsync(new { path = "x.csv", poll }));

        Assert.Equal(
            $"block test_block (sensor.blob): with.poll must be a duration above zero, such as {Duration.Examples}, not '{poll}'",
            error.Message);
    }

    private async Task<BlockValue> RunAsync(object with, CancellationToken cancellationToken = default)
    {
        var context = BlockContexts.Create(
            _folder.Root,
            connections: _connections,
            logger: _logger,
            cancellationToken: cancellationToken == default ? _timeout.Token : cancellationToken);
        var block = BuiltInBlocks.Find("sensor.blob")!;
        var settings = await BlockSettings.CreateAsync(JsonSerializer.SerializeToElement(with), block, context);
        return await block.Run(settings, context);
    }
}
