using System.Text.Json;
using Duraflow.Blocks.Catalog;
using Duraflow.Blocks.Settings;
using Duraflow.Tests;

namespace Duraflow.Blocks.Tests;

/// <summary>
/// File blocks keep their local paths inside the project and the folders of files.roots, after templates are
/// rendered and symbolic links followed; an escaping path fails the block without retries and touches nothing.
/// </summary>
public sealed class LocalPathTests : IDisposable
{
    private readonly TempFolder _project = new();
    private readonly TempFolder _outside = new();

    public LocalPathTests()
    {
        _project.Write("data/inside.csv", "id\n1\n");
        _outside.Write("secret.csv", "id\n42\n");
    }

    public void Dispose()
    {
        _project.Dispose();
        _outside.Dispose();
    }

    public static TheoryData<string> EscapingReads => new()
    {
        "/etc/passwd",
        "/proc/self/environ",
        "../outside.csv",
        "data/../../elsewhere/x.csv",
    };

    [Theory]
    [MemberData(nameof(EscapingReads))]
    public async Task Reading_outside_the_project_is_refused(string path)
    {
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => RunAsync("csv.read", new { path }, Context()));

        Assert.Contains("outside the project folder", error.Message, StringComparison.Ordinal);
        Assert.Contains("files.roots", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json.write")]
    [InlineData("csv.write")]
    [InlineData("parquet.write")]
    public async Task A_write_whose_rendered_path_escapes_writes_nothing(string block)
    {
        // What an API caller's parameter did: "output/{{ params.name }}.csv" with name = ../../<outside>/pwn.
        var name = Path.GetRelativePath(_project.PathOf("output"), Path.Combine(_outside.Root, "pwn"));
        var context = Context(parameters: JsonSerializer.Serialize(new { name }), input: Table());

        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(() => RunAsync(block, new { path = "output/{{ params.name }}.out" }, context));

        Assert.Contains("outside the project folder", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_outside.Root, "pwn.out")));
    }

    [Fact]
    public async Task A_symbolic_link_out_of_the_project_is_refused_as_a_path_and_as_a_wildcard_match()
    {
        File.CreateSymbolicLink(_project.PathOf("data/link.csv"), Path.Combine(_outside.Root, "secret.csv"));
        Directory.CreateSymbolicLink(_project.PathOf("linked"), _outside.Root);

        var direct = await Assert.ThrowsAsync<NonRetryableBlockException>(() => RunAsync("csv.read", new { path = "data/link.csv" }, Context()));
        var matched = await Assert.ThrowsAsync<NonRetryableBlockException>(() => RunAsync("csv.read", new { path = "data/*.csv" }, Context()));
        var folder = await Assert.ThrowsAsync<NonRetryableBlockException>(() => RunAsync("csv.write", new { path = "linked/new.csv" }, Context(input: Table())));

        Assert.Contains($"which leads to {Path.Combine(_outside.Root, "secret.csv")}", direct.Message, StringComparison.Ordinal);
        Assert.Contains("link.csv", matched.Message, StringComparison.Ordinal);
        Assert.Contains("outside the project folder", folder.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_outside.Root, "new.csv")));
    }

    [Fact]
    public async Task A_folder_listed_in_files_roots_may_be_read_and_written()
    {
        var context = Context(roots: [_outside.Root], input: Table());

        var read = await RunAsync("csv.read", new { path = Path.Combine(_outside.Root, "secret.csv") }, context);
        await RunAsync("csv.write", new { path = Path.Combine(_outside.Root, "copy.csv") }, context);

        Assert.Equal(1, read.Table!.CountRows());
        Assert.True(File.Exists(Path.Combine(_outside.Root, "copy.csv")));
    }

    [Fact]
    public async Task Paths_inside_the_project_still_work_with_dots_that_stay_inside()
    {
        var read = await RunAsync("csv.read", new { path = "data/../data/inside.csv" }, Context());

        Assert.Equal(1, read.Table!.CountRows());
    }

    [Fact]
    public async Task A_sensor_on_a_local_folder_outside_the_project_is_refused()
    {
        var error = await Assert.ThrowsAsync<NonRetryableBlockException>(
            () => RunAsync("sensor.blob", new { path = Path.Combine(_outside.Root, "*.csv"), timeout = "1s", poll = "1s" }, Context()));

        Assert.Contains("outside the project folder", error.Message, StringComparison.Ordinal);
    }

    private BlockValue Table() =>
        BlockValue.FromResult(new[] { new { id = 1L } }, "rows", _project.PathOf("tables"), asJson: false, CancellationToken.None);

    private BlockContext Context(string parameters = "{}", BlockValue? input = null, IReadOnlyList<string>? roots = null)
    {
        var inputs = input is null ? null : new Dictionary<string, BlockValue> { ["upstream"] = input };
        return BlockContexts.Create(_project.Root, inputs: inputs, parameters: parameters, fileRoots: roots);
    }

    private static async Task<BlockValue> RunAsync(string id, object with, BlockContext context)
    {
        var block = BuiltInBlocks.Find(id)!;
        var settings = await BlockSettings.CreateAsync(JsonSerializer.SerializeToElement(with), block, context);
        return await block.Run(settings, context);
    }
}
