using System.Text.Json;
using Duraflow.Blocks;
using Duraflow.Engine.Projects;
using Duraflow.Engine.Validation;
using Duraflow.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace Duraflow.Engine.Tests.Projects;

/// <summary>
/// The blocks/ class library, built with the real `dotnet build` from the project file `duraflow init` writes. Each
/// build takes seconds, so only the first two tests build (three builds in all).
/// </summary>
public sealed class BlocksBuilderTests : IDisposable
{
    private const string SumBlock = """
        namespace Shop;

        public sealed class Sum
        {
            public long Run(long[] numbers, BlockContext context)
            {
                context.SetMetric("count", numbers.Length);
                return numbers.Sum();
            }
        }
        """;

    private static readonly long[] Numbers = [1, 2, 3];

    private readonly TempFolder _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task The_library_is_built_once_and_again_only_when_a_source_file_changes_and_its_blocks_share_the_hosts_types()
    {
        WriteProject(SumBlock);

        var first = Builder().Build();
        var classes = CompiledBlocks.ForProject(_project.Root, _project.Root);
        var lookup = classes.Find("Shop.Sum");
        _project.Write("blocks/obj/generated.txt", "build output is not a source");
        var unchanged = Builder().Build();
        _project.Write("blocks/Sum.cs", SumBlock + "// changed\n");
        var changed = Builder().Build();

        Assert.Equal((true, true), (first.HasProject, first.Compiled));
        Assert.Empty(first.Diagnostics);
        Assert.Equal(_project.PathOf(".duraflow/cache/blocks"), first.OutputDirectory);
        Assert.False(unchanged.Compiled);
        Assert.True(changed.Compiled);
        Assert.Empty(classes.Diagnostics);

        // The host's BlockContext goes into the block's Run: one Duraflow.Blocks on both sides.
        var context = Context(new Dictionary<string, BlockValue> { ["numbers"] = BlockValue.Of(JsonSerializer.SerializeToElement(Numbers)) });
        var output = await lookup.Block!.RunAsync(context);
        Assert.Equal(6, output.Json.GetInt64());
        Assert.Equal(3, context.Metrics["count"]);
        Assert.Equal(typeof(BlockContext).Assembly, lookup.Block.Method.GetParameters()[1].ParameterType.Assembly);
    }

    [Fact]
    public void A_failed_build_reports_compiler_errors_where_they_are_once_per_project_and_at_each_class_block()
    {
        WriteProject(SumBlock.Replace("return numbers.Sum();", "return numbers.Sum()", StringComparison.Ordinal));
        foreach (var pipeline in new[] { "a", "b" })
        {
            _project.Write($"pipelines/{pipeline}/pipeline.yaml", $"name: {pipeline}\nblocks:\n  - name: total\n    uses: class:Shop.Sum\n");
        }

        var validation = ProjectValidator.Validate(_project.Root, _project.Root, classes: CompiledBlocks.ForProject(_project.Root, _project.Root));

        Assert.Equal(
            [
                "blocks/Sum.cs:8:29: error DF025: CS1002: ; expected",
                "pipelines/a/pipeline.yaml:4:11: error DF025: block 'total' uses class:Shop.Sum, but blocks/ does not build; fix the errors reported for it first",
                "pipelines/b/pipeline.yaml:4:11: error DF025: block 'total' uses class:Shop.Sum, but blocks/ does not build; fix the errors reported for it first",
            ],
            validation.Diagnostics.Select(d => d.ToString()));
        Assert.False(File.Exists(_project.PathOf(".duraflow/cache/blocks.hash")));
    }

    [Fact]
    public void Without_a_project_file_there_is_nothing_to_build()
    {
        _project.Write("blocks/Notes.md", "no project here");

        var result = Builder().Build();

        Assert.Equal((false, null, false), (result.HasProject, result.OutputDirectory, result.Compiled));
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Two_project_files_are_refused_before_building()
    {
        _project.Write("blocks/A.csproj", "<Project />");
        _project.Write("blocks/B.csproj", "<Project />");

        var result = Builder().Build();

        Assert.Equal(
            "blocks: error DF025: blocks holds 2 project files (A.csproj, B.csproj); keep one, which may reference the others",
            Assert.Single(result.Diagnostics).ToString());
        Assert.False(result.Compiled);
    }

    private BlocksBuilder Builder() => new(_project.Root, _project.Root);

    private void WriteProject(string code)
    {
        _project.Write("blocks/Blocks.csproj", File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src/Cli/Scaffold/blocks/Blocks.csproj")));
        _project.Write("blocks/Sum.cs", code);
    }

    private BlockContext Context(IReadOnlyDictionary<string, BlockValue> inputs) => new()
    {
        RunId = "run-1",
        Pipeline = "p",
        Block = "total",
        Attempt = 1,
        IdempotencyKey = "run-1/total/1",
        Parameters = new Dictionary<string, JsonElement>(),
        Inputs = inputs,
        Logger = NullLogger.Instance,
        WorkDirectory = _project.PathOf("work"),
    };
}
