using System.Text.Json;
using Azure.Storage.Blobs;
using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Settings;
using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

/// <summary>The file blocks with a <c>connection</c>, against a real Azurite; every test has a container of its own.</summary>
public sealed class BlobFileBlocksTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly BlobContainerClient _container;
    private readonly TestConnections _connections;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));

    public BlobFileBlocksTests()
    {
        var service = new BlobServiceClient(Services.Azurite);
        _container = service.GetBlobContainerClient($"t{Guid.NewGuid():N}");
        _connections = new TestConnections(
            TestConnections.Blob("lake", Services.Azurite),
            new Connection("warehouse", "postgres", new Dictionary<string, string> { ["connection_string"] = "Host=x" }));
    }

    public sealed record Sale(long Id, string Customer, double Amount);

    public async Task InitializeAsync() => await _container.CreateAsync(cancellationToken: _timeout.Token);

    public async Task DisposeAsync() => await _container.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);

    public void Dispose()
    {
        _timeout.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Csv_written_to_a_blob_reads_back_with_the_same_rows_and_types()
    {
        var path = $$$"""{{{_container.Name}}}/orders/{{ run.scheduled_time | date: 'yyyy-MM-dd' }}.csv""";

        var written = await RunAsync("csv.write", new { connection = "lake", path }, Sales());
        var read = await RunAsync("csv.read", new { connection = "lake", path });

        Assert.Equal($$"""{"path":"{{_container.Name}}/orders/2026-03-04.csv","connection":"lake","rows":2}""", written.Json.GetRawText());
        var blob = _container.GetBlobClient("orders/2026-03-04.csv");
        Assert.Equal("id,customer,amount\n1,Ada,1.5\n2,Bob,2.0\n", (await blob.DownloadContentAsync(_timeout.Token)).Value.Content.ToString());
        Assert.Equal("text/csv", (await blob.GetPropertiesAsync(cancellationToken: _timeout.Token)).Value.ContentType);
        var table = read.Table!;
        Assert.Equal(["id BIGINT", "customer VARCHAR", "amount DOUBLE"], table.Columns.Select(c => $"{c.Name} {c.Type}"));
        Assert.Equal([new Sale(1, "Ada", 1.5), new Sale(2, "Bob", 2)], table.Rows<Sale>());
    }

    [Fact]
    public async Task A_glob_reads_every_matching_blob_and_no_other()
    {
        await UploadAsync("orders/2026-03-01.csv", "id,customer,amount\n1,Ada,1.5\n");
        await UploadAsync("orders/2026-03-02.csv", "id,customer,amount\n2,Bob,2\n3,Cy,3.25\n");
        await UploadAsync("orders/notes.txt", "not a csv");
        await UploadAsync("orders/2025/2025-12-31.csv", "id,customer,amount\n99,Old,0\n");
        await UploadAsync("returns/2026-03-01.csv", "id,customer,amount\n98,Back,0\n");

        var read = await RunAsync("csv.read", new { connection = "lake", path = $"{_container.Name}/orders/*.csv" });

        Assert.Equal(
            [new Sale(1, "Ada", 1.5), new Sale(2, "Bob", 2), new Sale(3, "Cy", 3.25)],
            read.Table!.Rows<Sale>().OrderBy(s => s.Id));
    }

    [Fact]
    public async Task Parquet_and_json_round_trip_through_blobs()
    {
        var lake = _container.Name;
        await RunAsync("parquet.write", new { connection = "lake", path = $"{lake}/sales.parquet" }, Sales());
        var fromParquet = await RunAsync("parquet.read", new { connection = "lake", path = $"{lake}/sales.parquet" });
        await RunAsync("json.write", new { connection = "lake", path = $"{lake}/sales.json" }, fromParquet);
        var fromJson = await RunAsync("json.read", new { connection = "lake", path = $"{lake}/sales.json" });
        var summary = await RunAsync("json.write", new { connection = "lake", path = $"{lake}/summary.json" }, BlockContexts.Json("""{"regions": 4}"""));

        Assert.Equal([new Sale(1, "Ada", 1.5), new Sale(2, "Bob", 2)], fromJson.Table!.Rows<Sale>());
        Assert.Equal($$"""{"path":"{{lake}}/summary.json","connection":"lake","rows":1}""", summary.Json.GetRawText());
        var content = (await _container.GetBlobClient("summary.json").DownloadContentAsync(_timeout.Token)).Value.Content;
        Assert.Equal(4, JsonDocument.Parse(content.ToString()).RootElement.GetProperty("regions").GetInt32());
    }

    [Fact]
    public async Task A_missing_blob_names_the_blob_and_is_not_retried()
    {
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(
            () => RunAsync("csv.read", new { connection = "lake", path = $"{_container.Name}/orders/none.csv" }));

        Assert.Equal($"block test_block (csv.read): no blob at lake:{_container.Name}/orders/none.csv", error.Message);
    }

    [Fact]
    public async Task A_glob_that_matches_no_blob_names_the_pattern()
    {
        await UploadAsync("orders/2026-03-01.csv", "id\n1\n");

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(
            () => RunAsync("csv.read", new { connection = "lake", path = $"{_container.Name}/orders/*.parquet" }));

        Assert.Contains($"no blob matches lake:{_container.Name}/orders/*.parquet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_from_a_missing_container_says_to_create_it_and_writing_creates_it()
    {
        var missing = $"{_container.Name}-new";
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(
            () => RunAsync("csv.read", new { connection = "lake", path = $"{missing}/x.csv" }));
        await RunAsync("csv.write", new { connection = "lake", path = $"{missing}/x.csv" }, Sales());
        var back = await RunAsync("csv.read", new { connection = "lake", path = $"{missing}/x.csv" });
        await new Azure.Storage.Blobs.BlobContainerClient(Services.Azurite, missing).DeleteAsync();

        Assert.Contains($"container '{missing}' does not exist in the storage account of connection 'lake'; create it", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, back.Table!.CountRows());
    }

    [Fact]
    public async Task A_connection_of_another_type_is_refused_naming_block_connection_and_type()
    {
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(
            () => RunAsync("csv.read", new { connection = "warehouse", path = $"{_container.Name}/x.csv" }));

        Assert.Equal(
            "block test_block (csv.read): connection 'warehouse' is of type postgres; with.connection must name an azure_blob connection of io_config.yaml",
            error.Message);
    }

    [Theory]
    [InlineData("csv.read", "orders.csv", "with.connection is set, so with.path must be CONTAINER/PATH (landing/orders.csv), not 'orders.csv'")]
    [InlineData("csv.read", "land*/orders.csv", "wildcards may stand in the blob name, not in the container name")]
    [InlineData("csv.write", "landing/*.csv", "a write goes to one blob, so the path cannot hold wildcards")]
    [InlineData("csv.read", "landing/../other/orders.csv", "blob paths stay inside their container")]
    [InlineData("csv.write", "landing/./x/../../other/out.csv", "blob paths stay inside their container")]
    public async Task A_blob_path_must_name_a_container_and_one_blob_to_write(string id, string path, string expected)
    {
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => RunAsync(id, new { connection = "lake", path }, Sales()));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_string_that_is_not_one_is_refused_without_showing_it()
    {
        var connections = new TestConnections(TestConnections.Blob("lake", "AccountKey=s3cret"));
        var context = BlockContexts.Create(_folder.Root, connections: connections, cancellationToken: _timeout.Token);

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(
            () => RunAsync("csv.read", new { connection = "lake", path = "landing/x.csv" }, context));

        Assert.Contains("connection 'lake': connection_string is not an Azure Storage connection string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Incremental_by_files_downloads_and_reads_only_the_blobs_that_landed_since_the_last_read()
    {
        var stored = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        // Settled at once: the blobs land just before each read here.
        var with = new { connection = "lake", path = $"{_container.Name}/orders/*.csv", incremental = new { by = "files", settle = "0s" } };
        async Task<long[]> ReadAsync()
        {
            var context = BlockContexts.Create(_folder.Root, block: "landed", connections: _connections, checkpoints: stored, cancellationToken: _timeout.Token);
            var output = await RunAsync("csv.read", with, context);
            foreach (var (name, value) in context.CheckpointUpdates)
            {
                stored[name] = value;
            }

            return [.. output.Table!.Rows<Sale>().Select(s => s.Id).Order()];
        }

        await UploadAsync("orders/1.csv", "id,customer,amount\n1,Ada,1.5\n");
        await UploadAsync("orders/2.csv", "id,customer,amount\n2,Bob,2\n");
        var first = await ReadAsync();
        await UploadAsync("orders/3.csv", "id,customer,amount\n3,Cy,3\n");
        var second = await ReadAsync();
        var nothingNew = await ReadAsync();

        Assert.Equal([1, 2], first);
        Assert.Equal([3], second);
        Assert.Empty(nothingNew);
        Assert.Equal("orders/3.csv", stored["landed"].GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_blob_rewritten_between_listing_and_download_fails_the_attempt_for_a_retry_instead_of_reading_it_under_its_old_time()
    {
        await UploadAsync("orders/1.csv", "id,customer,amount\n1,Ada,1.5\n");
        var context = BlockContexts.Create(_folder.Root, connections: _connections, cancellationToken: _timeout.Token);
        var settings = await BlockSettings.CreateAsync(
            JsonSerializer.SerializeToElement(new { connection = "lake", path = $"{_container.Name}/orders/*.csv" }), Duraflow.Blocks.Catalog.BuiltInBlocks.Find("csv.read")!, context);
        var location = (await Duraflow.Blocks.BuiltIns.BlobLocation.FromAsync(settings, context, wildcards: true))!;

        var listed = await location.ListModifiedAsync(_timeout.Token);
        await _container.GetBlobClient("orders/1.csv").UploadAsync(BinaryData.FromString("id,customer,amount\n1,Ada,1.5\n2,Bob,2\n"), overwrite: true, _timeout.Token);
        var error = await Assert.ThrowsAsync<IOException>(() =>
            location.DownloadAsync(_folder.PathOf("work"), context.Logger, _timeout.Token, [.. listed.Select(l => l.Name)]));

        Assert.Contains("412", error.Message, StringComparison.Ordinal);
    }

    private async Task UploadAsync(string name, string content) =>
        await _container.GetBlobClient(name).UploadAsync(BinaryData.FromString(content), _timeout.Token);

    private BlockValue Sales() =>
        BlockValue.FromResult(new[] { new Sale(1, "Ada", 1.5), new Sale(2, "Bob", 2) }, "sales", _folder.PathOf("tables"), asJson: false, CancellationToken.None);

    private Task<BlockValue> RunAsync(string id, object with, BlockValue? input = null) =>
        RunAsync(id, with, BlockContexts.Create(
            _folder.Root,
            inputs: input is null ? null : new Dictionary<string, BlockValue> { ["upstream"] = input },
            connections: _connections,
            cancellationToken: _timeout.Token));

    private static async Task<BlockValue> RunAsync(string id, object with, BlockContext context)
    {
        var block = BuiltInBlocks.Find(id)!;
        var settings = await BlockSettings.CreateAsync(JsonSerializer.SerializeToElement(with), block, context);
        return await block.Run(settings, context);
    }
}
