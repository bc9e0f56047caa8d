using System.Text.Json;
using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Settings;
using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

public sealed class FileBlocksTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public sealed record Sale(long Id, string Customer, double Amount);

    [Fact]
    public async Task Csv_read_gives_a_typed_table()
    {
        _folder.Write("data/sales.csv", "id;customer;amount\n1;Ada;1.5\n2;Bob;2\n");

        var table = (await RunAsync("csv.read", """{"path": "data/sales.csv", "delimiter": ";"}""")).Table!;

        Assert.Equal(["id BIGINT", "customer VARCHAR", "amount DOUBLE"], table.Columns.Select(c => $"{c.Name} {c.Type}"));
        Assert.Equal([new Sale(1, "Ada", 1.5), new Sale(2, "Bob", 2)], table.Rows<Sale>());
    }

    [Fact]
    public async Task Csv_write_renders_the_path_and_writes_the_input_table()
    {
        var input = Sales();

        var written = await RunAsync("csv.write", """{"path": "out/sales_{{ run.scheduled_time | date: 'yyyyMMdd' }}.csv"}""", input);

        Assert.Equal("id,customer,amount\n1,Ada,1.5\n2,Bob,2.0\n", File.ReadAllText(_folder.PathOf("out/sales_20260304.csv")));
        Assert.Equal("""{"path":"out/sales_20260304.csv","rows":2}""", written.Json.GetRawText());
        Assert.Empty(Directory.GetFiles(_folder.PathOf("out"), "*.tmp"));
    }

    [Fact]
    public async Task Parquet_and_json_round_trip()
    {
        await RunAsync("parquet.write", """{"path": "lake/sales.parquet"}""", Sales());
        var fromParquet = await RunAsync("parquet.read", """{"path": "lake/sales.parquet"}""");
        await RunAsync("json.write", """{"path": "lake/sales.json"}""", fromParquet);
        var fromJson = await RunAsync("json.read", """{"path": "lake/sales.json"}""");

        Assert.Equal([new Sale(1, "Ada", 1.5), new Sale(2, "Bob", 2)], fromJson.Table!.Rows<Sale>());
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(File.ReadAllText(_folder.PathOf("lake/sales.json"))).RootElement.ValueKind);
    }

    [Fact]
    public async Task Json_write_of_a_json_value_writes_it_as_is()
    {
        await RunAsync("json.write", """{"path": "out/summary.json"}""", BlockContexts.Json("""{"regions": 4}"""));

        Assert.Equal(4, JsonDocument.Parse(File.ReadAllText(_folder.PathOf("out/summary.json"))).RootElement.GetProperty("regions").GetInt32());
    }

    [Fact]
    public async Task A_missing_file_names_the_path_and_is_not_retried()
    {
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => RunAsync("csv.read", """{"path": "data/none.csv"}"""));

        Assert.Contains("no file at data/none.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_nested_100000_levels_deep_is_refused_with_where_instead_of_crashing_the_process()
    {
        // Through a wildcard, so each file the glob matches is checked; the brackets inside the string do not count.
        _folder.Write("data/a_ok.json", """[{"id": 1, "note": "[[[[{{{{"}]""");
        _folder.Write("data/b_deep.json", "[{\"id\": 1},\n" + new string('[', 100_000) + new string(']', 100_000) + "]");

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => RunAsync("json.read", """{"path": "data/*.json"}"""));

        Assert.Contains("b_deep.json nests arrays and objects deeper than 128 levels at line 2, column 128", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deep_json_inside_a_gzip_file_or_after_stray_closers_is_refused_too()
    {
        _folder.Write("data/placeholder.txt", "");
        using (var gz = new System.IO.Compression.GZipStream(File.Create(_folder.PathOf("data/deep.json.gz")), System.IO.Compression.CompressionLevel.Fastest))
        {
            gz.Write(System.Text.Encoding.ASCII.GetBytes(new string('[', 100_000) + new string(']', 100_000)));
        }

        _folder.Write("data/closers.json", new string(']', 1_000) + "\n" + new string('[', 1_000) + new string(']', 1_000));

        var gzip = await Assert.ThrowsAsync<NonRetryableBlockException>(() => RunAsync("json.read", """{"path": "data/deep.json.gz"}"""));
        var closers = await Assert.ThrowsAsync<NonRetryableBlockException>(() => RunAsync("json.read", """{"path": "data/closers.json"}"""));

        Assert.Contains("deeper than 128 levels", gzip.Message, StringComparison.Ordinal);
        Assert.Contains("deeper than 128 levels at line 2", closers.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_path_with_a_wildcard_is_refused()
    {
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => RunAsync("csv.write", """{"path": "out/x*/sales.csv"}""", Sales()));

        Assert.Contains("cannot hold wildcards", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_nested_to_the_bound_is_read()
    {
        _folder.Write("data/nested.json", "[{\"v\": " + new string('[', 120) + "1" + new string(']', 120) + "}]");

        var table = (await RunAsync("json.read", """{"path": "data/nested.json"}""")).Table!;

        Assert.Equal(1, table.CountRows());
    }

    [Fact]
    public async Task Writing_json_where_a_table_is_needed_says_what_to_do()
    {
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(
            () => RunAsync("csv.write", """{"path": "x.csv"}""", BlockContexts.Json("""{"a": 1}""")));

        Assert.Contains("not a table", error.Message, StringComparison.Ordinal);
        Assert.Contains("json.write", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_several_inputs_the_input_setting_must_say_which()
    {
        var inputs = new Dictionary<string, BlockValue> { ["a"] = Sales(), ["b"] = Sales() };
        var context = BlockContexts.Create(_folder.Root, inputs: inputs, block: "save");

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => RunAsync("csv.write", """{"path": "x.csv"}""", context));

        Assert.Contains("with.input is not set and the block has 2 inputs (a, b)", error.Message, StringComparison.Ordinal);
    }

    private BlockValue Sales() =>
        BlockValue.FromResult(new[] { new Sale(1, "Ada", 1.5), new Sale(2, "Bob", 2) }, "sales", _folder.PathOf("tables"), asJson: false, CancellationToken.None);

    private Task<BlockValue> RunAsync(string id, string with, BlockValue input) =>
        RunAsync(id, with, BlockContexts.Create(_folder.Root, inputs: new Dictionary<string, BlockValue> { ["upstream"] = input }));

    private Task<BlockValue> RunAsync(string id, string with) => RunAsync(id, with, BlockContexts.Create(_folder.Root));

    private static async Task<BlockValue> RunAsync(string id, string with, BlockContext context)
    {
        var block = BuiltInBlocks.Find(id)!;
        using var document = JsonDocument.Parse(with);
        var settings = await BlockSettings.CreateAsync(document.RootElement.Clone(), block, context);
        return await block.Run(settings, context);
    }
}
